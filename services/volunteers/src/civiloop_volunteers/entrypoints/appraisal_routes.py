"""HTTP routes of honours by appraisal (评选): nominations, the public notice (公示), objections,
the district's review and decision. The board and direct awards are in ``honour_routes``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from civiloop_contracts.masking import FreeText
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.params import Page as PageNo
from civiloop_platform.edge.params import PageSize
from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import appraisal
from civiloop_volunteers.app.listing import Page
from civiloop_volunteers.domain.appraisal import NewNomination, Nomination, Stage
from civiloop_volunteers.domain.honours import LEI_FENG_KINDS, TITLE_NAMES
from civiloop_volunteers.entrypoints.access import PUBLIC_BOARD, HonoursAdmin

router = APIRouter(prefix="/api/v1/volunteers/honours", tags=["honours"])
Nominator = Annotated[Principal, Depends(policy("honours.nominate"))]
NominationLister = Annotated[Principal, Depends(policy("honours.nominations"))]
NominationReader = Annotated[Principal, Depends(policy("honours.nominations.read"))]
Objector = Annotated[Principal, Depends(policy("honours.object"))]


def _settings(request: Request) -> Any:
    return request.app.state.runtime.settings


class Review(BaseModel):
    """The district's review: approve into the public notice, or not, with a note."""

    approve: bool
    note: FreeText | None = Field(default=None, max_length=500)


class ObjectionText(BaseModel):
    """What is objected to, and why."""

    text: FreeText = Field(min_length=1, max_length=1000)


class Resolution(BaseModel):
    """Uphold (the nomination is withdrawn) or dismiss an objection, with a note."""

    upheld: bool
    note: FreeText | None = Field(default=None, max_length=500)


class Decision(BaseModel):
    """After the notice: award, or withdraw."""

    award: bool


@router.get("/titles", summary="The titles one may be nominated for", dependencies=PUBLIC_BOARD)
async def titles(request: Request) -> dict[str, Any]:
    """The six titles, the four kinds of 学雷锋"四个优秀", and the district's own titles."""
    return {"titles": {t.value: n for t, n in TITLE_NAMES.items()},
            "lei_feng_kinds": {k.value: n for k, n in LEI_FENG_KINDS.items()},
            "district_titles": list(_settings(request).honour_titles),
            "notice_days": _settings(request).honour_notice_days}


@router.get("/notices", summary="The public notice (公示): nominations open to objection",
            dependencies=PUBLIC_BOARD)
async def notices(request: Request) -> list[dict[str, Any]]:
    """Name, title, unit, deeds and until when objections are taken."""
    return await run(request, appraisal.notices)


@router.post("/nominations", status_code=201, summary="Nominate someone for a title")
async def nominate(new: NewNomination, caller: Nominator, request: Request) -> Nomination:
    """The nomination, waiting for the district's review."""
    titles_ = tuple(_settings(request).honour_titles)
    return await run(request, lambda uow: appraisal.nominate(uow, caller, new, titles_))


@router.get("/nominations", summary="Nominations of the caller's unit, page by page")
async def nominations(caller: NominationLister, request: Request, stage: Stage | None = None,
                      page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Nominations at every stage (or ``stage``), in id order."""
    return await run(request, lambda uow: appraisal.listed(uow, caller, stage, page, page_size))


@router.get("/nominations/{nomination_id}", summary="A nomination with its objections")
async def nomination(nomination_id: str, caller: NominationReader, request: Request) -> Nomination:
    """The nomination, its review, notice, objections and outcome."""
    return await run(request, lambda uow: appraisal.load(uow, caller, nomination_id))


@router.post("/nominations/{nomination_id}/review", summary="Review a nomination (district)")
async def review(nomination_id: str, body: Review, caller: HonoursAdmin,
                 request: Request) -> Nomination:
    """Approved: in public notice for the configured days; else withdrawn."""
    days = float(_settings(request).honour_notice_days)
    return await run(request, lambda uow: appraisal.review(uow, caller, nomination_id,
                                                           body.approve, body.note, days))


@router.post("/nominations/{nomination_id}/objections", status_code=201,
             summary="Object to a nomination during its public notice")
async def object_to(nomination_id: str, body: ObjectionText, caller: Objector,
                    request: Request) -> dict[str, Any]:
    """The objection as recorded; 409 outside the notice period."""
    objection = await run(request, lambda uow: appraisal.object_to(uow, caller, nomination_id,
                                                                   body.text))
    return objection.model_dump(mode="json")


@router.post("/nominations/{nomination_id}/objections/{objection_id}/resolve",
             summary="Uphold or dismiss an objection (district)")
async def resolve(nomination_id: str, objection_id: str, body: Resolution,
                  caller: HonoursAdmin, request: Request) -> Nomination:
    """The nomination; withdrawn if the objection is upheld."""
    return await run(request, lambda uow: appraisal.resolve(
        uow, caller, nomination_id, objection_id, body.upheld, body.note))


@router.post("/nominations/{nomination_id}/decide", summary="Award or withdraw (district)")
async def decide(nomination_id: str, body: Decision, caller: HonoursAdmin,
                 request: Request) -> Nomination:
    """Awarded (on the board) after the notice with no objection open, or withdrawn."""
    return await run(request, lambda uow: appraisal.decide(uow, caller, nomination_id,
                                                           body.award))
