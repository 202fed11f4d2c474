"""Live orders (SSE): an ``order`` event whenever an order the caller may see changes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from civiloop_platform.live import LIVE_RESPONSES, AccessToken, Change, Rendered, live_stream
from civiloop_requests.adapters.repositories import ORDERS, MongoOrders
from civiloop_requests.app.queries import OrderCriteria, scoped
from civiloop_requests.domain.order import Order
from civiloop_requests.entrypoints.access import may_see
from civiloop_requests.entrypoints.orders_api import Lister
from civiloop_requests.entrypoints.views import OrderView

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("/live", summary="Live: an event for each change of the caller's orders",
            response_class=EventSourceResponse, responses=LIVE_RESPONSES)
async def orders_live(request: Request, caller: Lister, order_id: str | None = None,
                      access_token: AccessToken = None) -> EventSourceResponse:
    """SSE: ``order`` with the JSON of ``GET /orders/{id}`` when an order the caller may see
    changes (``order_id``: that order only); the same callers as ``GET /orders``."""
    scoped(OrderCriteria(), caller)  # refuses whom the listing refuses

    async def render(change: Change) -> Rendered:
        order = await change.shared("order", lambda: _order(change))
        if order is None or order_id not in (None, order.order_id) or not may_see(caller, order):
            return []
        return [("order", OrderView.of(order, caller).model_dump(mode="json"))]

    return await live_stream(request, request.app.state.runtime.live_hub(ORDERS), render)


async def _order(change: Change) -> Order | None:
    """The order as the change left it (None when it was deleted)."""
    return None if change.document is None else MongoOrders.load(change.document)
