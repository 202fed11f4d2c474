"""HTTP routes of honours: award and revoke (district), and the public good-deeds board."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import honours
from civiloop_volunteers.domain.honours import NewHonour
from civiloop_volunteers.entrypoints.access import PUBLIC_BOARD, HonoursAdmin

router = APIRouter(prefix="/api/v1/volunteers/honours", tags=["honours"])


@router.get("/board", summary="The good-deeds board (善行义举榜): public, current honours",
            dependencies=PUBLIC_BOARD)
async def board(request: Request) -> list[dict[str, Any]]:
    """Name, title, level, year, station and story of every current honour."""
    return await run(request, honours.board)


@router.post("", status_code=201,
             summary="Record an honour conferred elsewhere or outside an appraisal (district)")
async def award(new: NewHonour, caller: HonoursAdmin, request: Request) -> dict[str, Any]:
    """The honour as recorded."""
    titles = tuple(request.app.state.runtime.settings.honour_titles)
    honour = await run(request, lambda uow: honours.award(uow, caller, new, titles))
    return honour.model_dump(mode="json")


class Revocation(BaseModel):
    """Why the honour is withdrawn."""

    reason: str = Field(min_length=1, max_length=500)


@router.post("/{honour_id}/revoke", summary="Revoke an honour (district admin)")
async def revoke(honour_id: str, body: Revocation, caller: HonoursAdmin,
                 request: Request) -> dict[str, Any]:
    """The honour, revoked and off the board."""
    honour = await run(request, lambda uow: honours.revoke(uow, caller, honour_id, body.reason))
    return honour.model_dump(mode="json")
