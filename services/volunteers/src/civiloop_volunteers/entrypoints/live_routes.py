"""Live offers (SSE): an ``offer`` event whenever an offer to the caller appears or changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from civiloop_platform.edge.usecase import read
from civiloop_platform.live import LIVE_RESPONSES, AccessToken, Change, Rendered, live_stream
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.app.answers import offer_item
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.orders import OrderView
from civiloop_volunteers.entrypoints.access import OfferReader

router = APIRouter(prefix="/api/v1/volunteers", tags=["orders"])
OFFERS, ORDERS = "offers", "orders"


@router.get("/offers/mine/live", summary="Live: an event for each change of my offers",
            response_class=EventSourceResponse, responses=LIVE_RESPONSES)
async def my_offers_live(caller: OfferReader, request: Request,
                         access_token: AccessToken = None) -> EventSourceResponse:
    """SSE: ``offer`` with one item of ``GET /offers/mine`` when an offer naming the caller (or
    a team they lead) appears or changes: answered, taken by someone else, withdrawn, closed."""
    led = await read(request, lambda uow: uow.teams.led_by(caller.subject))
    mine = {caller.subject, *(t.team_id for t in led)}

    async def render(change: Change) -> Rendered:
        items = await change.shared("items", lambda: read(request, lambda uow: _items(uow, change)))
        return [("offer", item) for item in items
                if mine & {*item["volunteer_ids"], *item["team_ids"]}]

    hub = request.app.state.runtime.live_hub(OFFERS, ORDERS)
    return await live_stream(request, hub, render)


async def _items(uow: Uow, change: Change) -> list[dict[str, Any]]:
    """The offers a change touches, as ``GET /offers/mine`` lists them."""
    if change.document is None:
        return []
    if change.collection == OFFERS:
        offer = Offer.model_validate(change.fields())
        return [offer_item(offer, await uow.orders.get(offer.order_id))]
    # The order an offer is about changed (it closed): each of its offers changed with it.
    order = OrderView.model_validate(change.fields())
    return [offer_item(offer, order) for offer in await uow.offers.of_order(change.key)]
