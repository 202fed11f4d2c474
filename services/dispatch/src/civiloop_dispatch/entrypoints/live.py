"""Live queue (SSE): a ``case`` event whenever an order in the caller's units changes here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from civiloop_dispatch.adapters.repositories import CASES
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.entrypoints.access import Queue
from civiloop_dispatch.entrypoints.schemas import CaseView
from civiloop_platform.live import LIVE_RESPONSES, AccessToken, Change, Rendered, live_stream

router = APIRouter(prefix="/api/v1/dispatch", tags=["dispatch"])


@router.get("/queue/live", summary="Live: an event for each change in the caller's queue",
            response_class=EventSourceResponse, responses=LIVE_RESPONSES)
async def queue_live(request: Request, principal: Queue,
                     access_token: AccessToken = None) -> EventSourceResponse:
    """SSE: ``case`` with the JSON of ``GET /orders/{id}`` (an item of ``GET /queue``) when
    an order of the caller's units changes; ``status`` says whether it is in the queue."""
    scope = principal.scope

    async def render(change: Change) -> Rendered:
        case = await change.shared("case", lambda: _case(change))
        if case is None or not scope.covers(case.need.unit):
            return []
        return [("case", CaseView.of(case).model_dump(mode="json"))]

    return await live_stream(request, request.app.state.runtime.live_hub(CASES), render)


async def _case(change: Change) -> Case | None:
    """The case as the change left it (None when it was deleted)."""
    return None if change.document is None else Case.model_validate(change.fields())
