"""Live follow-ups (SSE): a ``follow_up`` event whenever one of the caller's unit changes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from civiloop_feedback.adapters.unit_of_work import FOLLOW_UPS
from civiloop_feedback.domain.follow_up import FollowUp
from civiloop_feedback.entrypoints.follow_ups_api import Lister
from civiloop_feedback.entrypoints.views import follow_up_view
from civiloop_platform.live import LIVE_RESPONSES, AccessToken, Change, Rendered, live_stream

router = APIRouter()


@router.get("/follow-ups/live", summary="Live: an event for each change of the unit's follow-ups",
            response_class=EventSourceResponse, responses=LIVE_RESPONSES)
async def follow_ups_live(request: Request, principal: Lister,
                          access_token: AccessToken = None) -> EventSourceResponse:
    """SSE: ``follow_up`` with one item of ``GET /follow-ups`` when a follow-up of the caller's
    station (institute; all for the centre) opens, is assigned, noted or resolved."""
    scope = principal.scope  # the listing's own rule: staff, over their unit

    async def render(change: Change) -> Rendered:
        follow_up = await change.shared("follow_up", lambda: _follow_up(change))
        if follow_up is None or not scope.covers(follow_up.unit):
            return []
        return [("follow_up", follow_up_view(follow_up).model_dump(mode="json"))]

    return await live_stream(request, request.app.state.runtime.live_hub(FOLLOW_UPS), render)


async def _follow_up(change: Change) -> FollowUp | None:
    """The follow-up as the change left it (None when it was deleted)."""
    return None if change.document is None else FollowUp.model_validate(change.fields())
