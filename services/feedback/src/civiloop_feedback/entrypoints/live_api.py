"""Live follow-ups (SSE): a ``follow_up`` event whenever one of the caller's unit changes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from sse_starlette import EventSourceResponse

from civiloop_contracts.values import UnitRef
from civiloop_feedback.adapters.unit_of_work import FOLLOW_UPS
from civiloop_feedback.domain.access import Scope, scope_of
from civiloop_feedback.domain.follow_up import FollowUp
from civiloop_feedback.entrypoints.follow_ups_api import Staff
from civiloop_feedback.entrypoints.http import rater_of
from civiloop_feedback.entrypoints.views import follow_up_view
from civiloop_platform.live import LIVE_RESPONSES, AccessToken, Change, Rendered, live_stream

router = APIRouter()


@router.get("/follow-ups/live", summary="Live: an event for each change of the unit's follow-ups",
            response_class=EventSourceResponse, responses=LIVE_RESPONSES)
async def follow_ups_live(request: Request, principal: Staff,
                          access_token: AccessToken = None) -> EventSourceResponse:
    """SSE: ``follow_up`` with one item of ``GET /follow-ups`` when a follow-up of the caller's
    station (institute; all for the centre) opens, is assigned, noted or resolved."""
    scope = scope_of(rater_of(principal))
    if scope is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a caller without a unit sees none")

    async def render(change: Change) -> Rendered:
        follow_up = await change.shared("follow_up", lambda: _follow_up(change))
        if follow_up is None or not _within(scope, follow_up.unit):
            return []
        return [("follow_up", follow_up_view(follow_up).model_dump(mode="json"))]

    return await live_stream(request, request.app.state.runtime.live_hub(FOLLOW_UPS), render)


def _within(scope: Scope, unit: UnitRef) -> bool:
    """True when ``unit`` is in ``scope`` (what the listing's query asks of the unit)."""
    return scope.station in (None, unit.station) and scope.institute in (None, unit.institute)


async def _follow_up(change: Change) -> FollowUp | None:
    """The follow-up as the change left it (None when it was deleted)."""
    return None if change.document is None else FollowUp.model_validate(change.fields())
