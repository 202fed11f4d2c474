"""HTTP routes for orders (群众点单): place, get, list, cancel, timeline."""

from __future__ import annotations

import contextlib
import hashlib
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import CancelReason
from civiloop_contracts.masking import mask_phone
from civiloop_contracts.values import Audience, Id, Platform, Role, ShortText, TimeWindow, UnitRef
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_platform.edge.params import Instant, Page, PageSize
from civiloop_requests.app.announce import publish_change
from civiloop_requests.app.placing import AlreadyPlaced, derived_order_id, new_order_id, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.queries import OrderCriteria, scoped
from civiloop_requests.domain.catalogue import AnswerValue
from civiloop_requests.domain.errors import Conflict, UnknownOrder
from civiloop_requests.domain.new_order import Need, NewOrder, Requester
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Status
from civiloop_requests.entrypoints.access import check_may_see, check_places_at
from civiloop_requests.entrypoints.deps import Cases, UseCases, acting
from civiloop_requests.entrypoints.views import (
    UNIT_EXAMPLE,
    WINDOW_EXAMPLE,
    OrderPage,
    OrderView,
    TimelineView,
)

router = APIRouter(prefix="/orders", tags=["orders"])
Placer = Annotated[Principal, Depends(policy("orders.place"))]
Reader = Annotated[Principal, Depends(policy("orders.read"))]
Lister = Annotated[Principal, Depends(policy("orders.list"))]
Canceller = Annotated[Principal, Depends(policy("orders.cancel"))]


class ContactIn(BaseModel):
    """The resident's name and mobile; kept in this service, masked everywhere else."""

    name: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    phone: str | None = Field(default=None, description="Mainland mobile, 11 digits.")

    @field_validator("phone")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        # Checked here too, so a form learns of it with the body's other problems, at its place.
        if value is not None:
            mask_phone(value)
        return value


class PlaceOrder(BaseModel):
    """What a resident (or a station operator for a resident) asks for."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "unit": UNIT_EXAMPLE, "category": "home_health_check",
        "need": "老人腿脚不便，需要上门量血压", "place": "万和阳光社区3号楼2单元",
        "window": WINDOW_EXAMPLE, "answers": {"mobility_needs": True},
        "contact": {"name": "张三", "phone": "13812345678"}}]})

    unit: UnitRef
    category: str
    need: Need
    place: ShortText
    window: TimeWindow
    audience_size: Audience = 1
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=20)
    contact: ContactIn | None = None
    resident_id: Id | None = Field(default=None, description=(
        "For a station operator ordering on a resident's behalf; a resident's own id comes "
        "from their token."))
    channel: Channel = Channel.WEB


class CancelOrder(BaseModel):
    """Why the order is cancelled."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"reason": "withdrawn", "note": "家里人已经带老人去医院了"}]})

    reason: CancelReason
    note: Annotated[str, Field(max_length=500)] | None = None


def _new_order(body: PlaceOrder, caller: Principal) -> NewOrder:
    """The order ``caller`` may place; 422 naming the field for what the model refuses."""
    check_places_at(caller, body.unit)
    resident = caller.subject if caller.role is Role.RESIDENT else body.resident_id
    contact = body.contact or ContactIn()
    try:
        requester = Requester(role=caller.role, resident_id=resident, name=contact.name,
                              phone=contact.phone)
        return NewOrder(requester=requester, **body.model_dump(
            exclude={"contact", "resident_id"}))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


async def _replay(cases: UseCases, order_id: str, fingerprint: str) -> Order | None:
    """The order an earlier call with this Idempotency-Key placed, or None."""
    order = await cases.queries.get(order_id)
    if order is not None and order.fingerprint != fingerprint:
        raise Conflict("Idempotency-Key was used before for a different order")
    return order


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderView,
             summary="Place an order (群众点单)",
             responses={403: {"description": "Not the caller's station"},
                        409: {"description": "Idempotency-Key reused for another body"},
                        422: {"description": "A field is invalid; the message names it"}})
async def place_order(body: PlaceOrder, caller: Placer, cases: Cases, response: Response,
                      idempotency_key: Annotated[str | None, Header(
                          max_length=128, description="Same key, same result: a retried "
                          "call returns the first order instead of placing another.")] = None,
                      ) -> OrderView:
    """Place an order; a repeat of the resident's open order is linked to it ("+1")."""
    new = _new_order(body, caller)
    fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    order_id = derived_order_id(caller.subject, idempotency_key) if idempotency_key \
        else new_order_id()
    if idempotency_key and (first := await _replay(cases, order_id, fingerprint)):
        response.headers["Idempotent-Replayed"] = "true"
        return OrderView.of(first, caller)

    async def work(uow: UnitOfWork) -> Order:
        return await place(uow, order_id, new, utcnow(), cases.announce, by=acting(caller),
                           fingerprint=fingerprint)

    with contextlib.suppress(AlreadyPlaced):  # a concurrent retry with the same key won
        await cases.run(work)
    # Read back as stored (MongoDB keeps milliseconds, in UTC) so a replay answers the same.
    stored = await _replay(cases, order_id, fingerprint)
    assert stored is not None, "an order placed or replayed here is stored"
    return OrderView.of(stored, caller)


async def _visible(cases: UseCases, order_id: str, caller: Principal) -> Order:
    """The order if ``caller`` may see it; UnknownOrder or NotAllowed otherwise."""
    order = await cases.queries.get(order_id)
    if order is None:
        raise UnknownOrder(f"no order {order_id!r}")
    check_may_see(caller, order)
    return order


@router.get("/{order_id}", response_model=OrderView, summary="One order",
            responses={403: {"description": "Not the caller's order or unit"},
                       404: {"description": "No such order"}})
async def get_order(order_id: str, caller: Reader, cases: Cases) -> OrderView:
    """The order, if the caller may see it; the contact is real only for those who may call."""
    return OrderView.of(await _visible(cases, order_id, caller), caller)


@router.get("/{order_id}/timeline", response_model=TimelineView, summary="An order's timeline")
async def get_timeline(order_id: str, caller: Reader, cases: Cases) -> TimelineView:
    """Every step of the order: its time, and who acted (a resident's id masked)."""
    order = await _visible(cases, order_id, caller)
    return TimelineView(order_id=order.order_id, status=order.status, steps=order.timeline)


@router.get("", response_model=OrderPage, summary="List orders")
async def list_orders(
    caller: Lister, cases: Cases,
    station: str | None = None, institute: str | None = None,
    order_status: Annotated[list[Status] | None, Query(alias="status")] = None,
    category: str | None = None, platform: Platform | None = None,
    placed_from: Instant | None = None, placed_to: Instant | None = None,
    page: Page = 1, page_size: PageSize = 20,
) -> OrderPage:
    """Orders the caller may see, newest first: residents their own, staff their units'."""
    criteria = scoped(OrderCriteria(
        station=station, institute=institute, statuses=tuple(order_status or ()),
        category=category, platform=platform, placed_from=placed_from,
        placed_to=placed_to), caller)
    return OrderPage.of(await cases.queries.find(criteria, page, page_size), caller)


@router.post("/{order_id}/cancel", response_model=OrderView, summary="Cancel an order",
             responses={409: {"description": "Served already, or cancelled"}})
async def cancel_order(order_id: str, caller: Canceller, cases: Cases,
                       body: Annotated[CancelOrder, Body()]) -> OrderView:
    """Cancel before completion: the resident their own order, a station operator its station's."""
    await _visible(cases, order_id, caller)

    async def work(uow: UnitOfWork) -> Order:
        order = await uow.orders.get(order_id)
        if order is None:
            raise UnknownOrder(f"no order {order_id!r}")
        before = len(order.timeline)
        raised = order.cancel(body.reason, utcnow(), acting(caller), note=body.note)
        publish_change(uow, order, raised, cases.announce, lines_before=before)
        await uow.orders.save(order)
        return order
    return OrderView.of(await cases.run(work), caller)
