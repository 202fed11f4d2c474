"""HTTP routes listing a unit's volunteers, services, teams and organisations (page by page).

Each list is the unit's own record, for its staff and the district: the figures stats
publishes can be recounted from them. ``q`` searches by the start of a name, or of a number
when it looks like one (no text index: a range on an ordinary index). They come before the
registry's ``/{volunteer_id}``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from civiloop_contracts.events.volunteers import VolunteerStatus
from civiloop_contracts.values import Platform, Specialty
from civiloop_platform.edge.params import Page as PageNo
from civiloop_platform.edge.params import PageSize
from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app.listing import Filters, Listed, Page, list_unit
from civiloop_volunteers.domain.organisations import OrganisationKind
from civiloop_volunteers.entrypoints.access import UnitLister

router = APIRouter(prefix="/api/v1/volunteers", tags=["lists"])
Code = Annotated[str | None, Query(max_length=64)]
Search = Annotated[str | None, Query(min_length=1, max_length=32,
                                     description="Start of a name, or of a number.")]


async def _list(request: Request, caller: UnitLister, listed: Listed, station: str | None,
                institute: str | None, page: int, page_size: int,
                filters: Filters | None = None) -> Page:
    return await run(request, lambda uow: list_unit(uow, caller, listed, station, institute,
                                                    page, page_size, filters))


@router.get("", summary="Registered volunteers of a unit (no personal data), page by page")
async def volunteers(caller: UnitLister, request: Request, station: Code = None,
                     institute: Code = None, page: PageNo = 1, page_size: PageSize = 50,
                     q: Search = None, status: VolunteerStatus | None = None,
                     specialty: Specialty | None = None,
                     platform: Platform | None = None) -> Page:
    """Id, name, masked phone, unit, status, registration time, stars, specialties, platforms."""
    filters = Filters(q=q, status=status, specialty=specialty, platform=platform)
    return await _list(request, caller, Listed.VOLUNTEERS, station, institute, page, page_size,
                       filters)


@router.get("/services", summary="Services (accepted assignments) of a unit's orders")
async def services(caller: UnitLister, request: Request, station: Code = None,
                   institute: Code = None, page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Who served which order, their check-in/out, and when completed with people served."""
    return await _list(request, caller, Listed.SERVICES, station, institute, page, page_size)


@router.get("/teams", summary="Volunteer teams of a unit, searched and filtered")
async def teams(caller: UnitLister, request: Request, station: Code = None,
                institute: Code = None, page: PageNo = 1, page_size: PageSize = 50,
                q: Search = None, specialty: Specialty | None = None,
                platform: Platform | None = None, organisation: Code = None,
                active: bool | None = None) -> Page:
    """Every team registered in the unit, active or not (unless ``active`` says)."""
    filters = Filters(q=q, specialty=specialty, platform=platform, organisation=organisation,
                      active=active)
    return await _list(request, caller, Listed.TEAMS, station, institute, page, page_size,
                       filters)


@router.get("/organisations", summary="Volunteer organisations of a unit, searched and filtered")
async def organisations(caller: UnitLister, request: Request, station: Code = None,
                        institute: Code = None, page: PageNo = 1,
                        page_size: PageSize = 50, q: Search = None,
                        kind: OrganisationKind | None = None,
                        specialty: Specialty | None = None,
                        active: bool | None = None) -> Page:
    """Every organisation registered in the unit, dissolved ones too (unless ``active``)."""
    filters = Filters(q=q, kind=kind, specialty=specialty, active=active)
    return await _list(request, caller, Listed.ORGANISATIONS, station, institute, page,
                       page_size, filters)
