"""HTTP routes of organisations (志愿服务组织): register, read with figures, change, dissolve,
members. The list and search is in ``list_routes``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import Id
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.params import Page as PageNo
from civiloop_platform.edge.params import PageSize
from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import organisations
from civiloop_volunteers.app.listing import Page
from civiloop_volunteers.domain.organisations import NewOrganisation, OrganisationChanges
from civiloop_volunteers.entrypoints.access import OrgFounder

router = APIRouter(prefix="/api/v1/volunteers/organisations", tags=["organisations"])
OrgReader = Annotated[Principal, Depends(policy("organisations.read"))]
OrgEditor = Annotated[Principal, Depends(policy("organisations.edit"))]


class Dissolution(BaseModel):
    """Why the organisation is dissolved (注销)."""

    reason: FreeText = Field(min_length=1, max_length=500)


class Members(BaseModel):
    """Volunteers joining or leaving, by id (at most 1,000 a call)."""

    volunteer_ids: list[Id] = Field(min_length=1, max_length=1000)


@router.post("", status_code=201, summary="Register a volunteer organisation")
async def register(new: NewOrganisation, caller: OrgFounder, request: Request) -> dict[str, Any]:
    """The new organisation."""
    found = await run(request, lambda uow: organisations.register(uow, caller, new))
    return found.model_dump(mode="json")


@router.get("/{organisation_id}", summary="An organisation and its figures")
async def read(organisation_id: str, caller: OrgReader, request: Request) -> dict[str, Any]:
    """The organisation; ``figures``: members, teams, hours by its members and its teams."""
    async def work(uow: Any) -> dict[str, Any]:
        found = await organisations.load(uow, caller, organisation_id)
        figures = await organisations.figures(uow, caller, organisation_id)
        return {**found.model_dump(mode="json"), "figures": figures}
    return await run(request, work)


@router.patch("/{organisation_id}", summary="Change an organisation's name, kind, specialties")
async def change(organisation_id: str, changes: OrganisationChanges, caller: OrgEditor,
                 request: Request) -> dict[str, Any]:
    """The changed organisation; 409 if dissolved."""
    found = await run(request, lambda uow: organisations.change(uow, caller, organisation_id,
                                                                changes))
    return found.model_dump(mode="json")


@router.post("/{organisation_id}/dissolve", summary="Dissolve an organisation (注销)")
async def dissolve(organisation_id: str, body: Dissolution, caller: OrgEditor,
                   request: Request) -> dict[str, Any]:
    """The organisation, inactive for good; 409 if dissolved already."""
    found = await run(request, lambda uow: organisations.dissolve(uow, caller, organisation_id,
                                                                  body.reason))
    return found.model_dump(mode="json")


@router.get("/{organisation_id}/members", summary="An organisation's members, page by page")
async def members(organisation_id: str, caller: OrgReader, request: Request,
                  page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Members as their unit's staff list volunteers (phones masked, no ID numbers)."""
    return await run(request, lambda uow: organisations.members(uow, caller, organisation_id,
                                                                page, page_size))


@router.post("/{organisation_id}/members", summary="Add members (up to 1,000 a call)")
async def join(organisation_id: str, body: Members, caller: OrgEditor,
               request: Request) -> dict[str, Any]:
    """The organisation with its new member count; 404 names an unregistered volunteer."""
    found = await run(request, lambda uow: organisations.join(uow, caller, organisation_id,
                                                              body.volunteer_ids))
    return found.model_dump(mode="json")


@router.post("/{organisation_id}/members/remove", summary="Remove members")
async def leave(organisation_id: str, body: Members, caller: OrgEditor,
                request: Request) -> dict[str, Any]:
    """The organisation with its new member count."""
    found = await run(request, lambda uow: organisations.leave(uow, caller, organisation_id,
                                                               body.volunteer_ids))
    return found.model_dump(mode="json")
