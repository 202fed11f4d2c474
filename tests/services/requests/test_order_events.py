"""What an order says to the rest of the loop: placing, cancelling, closing, reopening."""

from __future__ import annotations

import re

import pytest

from civiloop_contracts.events.requests import (
    CancelReason,
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderReopened,
)
from civiloop_contracts.values import Platform, Role
from civiloop_requests.domain.actor import DISPATCH, REQUESTS
from civiloop_requests.domain.errors import DomainError, ImpossibleTransition, NotAllowed
from civiloop_requests.domain.menu import DEFAULT_MENU
from civiloop_requests.domain.order import Order, place_order
from civiloop_requests.domain.status import Status, Step
from tests.services.requests.builders import (
    OPERATOR,
    PHONE,
    RESIDENT,
    at,
    by,
    new_order,
    placed,
    placer,
)


def _served(order_id: str = "ord-1") -> Order:
    """An order dispatched, accepted and reported complete."""
    order = placed(order_id)
    for minute, step in enumerate([Step.DISPATCH, Step.ACCEPT, Step.COMPLETE], start=1):
        order.apply(step, at(minute), by(Role.SERVICE))
    return order


def test_placing_announces_the_order_with_a_masked_contact_only() -> None:
    new = new_order()
    order, events = place_order("ord-1", new, DEFAULT_MENU.get(new.category), at(0), placer(new))
    [event] = events
    assert isinstance(event, OrderPlaced)
    assert (event.order_id, event.platform, event.category) == (
        "ord-1", Platform.SCIENCE, "home_health_check")
    assert event.contact is not None
    assert event.contact.phone == "138****5678"
    assert event.contact.name == "张*"
    assert re.search(r"\d{11}", event.model_dump_json()) is None
    assert order.requester.phone == PHONE  # the real number stays on the aggregate


def test_placing_refuses_a_category_mismatch_and_missing_answers() -> None:
    new = new_order(category="free_clinic")
    with pytest.raises(DomainError, match="not 'legal_aid'"):
        place_order("ord-1", new, DEFAULT_MENU.get("legal_aid"), at(0), placer(new))
    with pytest.raises(DomainError, match="attendees"):
        place_order("ord-1", new, DEFAULT_MENU.get("free_clinic"), at(0), placer(new))


def test_a_duplicate_is_linked_and_closed_not_announced_for_dispatch() -> None:
    new = new_order()
    order, events = place_order("ord-2", new, DEFAULT_MENU.get(new.category), at(5), placer(new),
                                duplicate_of="ord-1")
    assert [type(e).__name__ for e in events] == ["OrderDuplicateLinked", "OrderClosed"]
    assert order.duplicate_of == "ord-1"
    assert (order.status, order.outcome) == (Status.CLOSED, CloseOutcome.DUPLICATE)
    assert not order.is_open


@pytest.mark.parametrize("actor", [Role.RESIDENT, Role.STATION_OPERATOR])
def test_cancel_by_the_resident_or_station_closes_the_order(actor: Role) -> None:
    order = placed()
    order.apply(Step.DISPATCH, at(1), by(Role.SERVICE))
    events = order.cancel(CancelReason.WITHDRAWN, at(2), by(actor, "res-1"))
    assert events == [
        OrderCancelled(order_id="ord-1", reason=CancelReason.WITHDRAWN, cancelled_by=actor),
        OrderClosed(order_id="ord-1", outcome=CloseOutcome.CANCELLED),
    ]
    assert order.status is Status.CANCELLED
    assert order.timeline[-1].actor is actor


def test_cancel_is_refused_to_others_and_after_completion() -> None:
    order = placed()
    with pytest.raises(NotAllowed):
        order.cancel(CancelReason.WITHDRAWN, at(1), by(Role.VOLUNTEER, "vol-1"))
    with pytest.raises(NotAllowed, match="own order"):
        order.cancel(CancelReason.WITHDRAWN, at(1), by(Role.RESIDENT, "res-2"))
    served = _served()
    with pytest.raises(ImpossibleTransition):
        served.cancel(CancelReason.WITHDRAWN, at(9), OPERATOR)


def test_a_cancel_note_with_a_phone_number_is_refused_before_anything_changes() -> None:
    order = placed()
    with pytest.raises(DomainError, match="phone"):
        order.cancel(CancelReason.OTHER, at(1), OPERATOR, note=f"call {PHONE}")
    assert order.status is Status.PLACED


def test_closing_says_rated_with_stars_or_unrated() -> None:
    rated, unrated = _served("ord-1"), _served("ord-2")
    rated.rate(4, at(10), RESIDENT)
    assert rated.close(at(11), REQUESTS) == [OrderClosed(order_id="ord-1", outcome=CloseOutcome.RATED,
                                               stars=4)]
    assert unrated.close(at(11), REQUESTS) == [OrderClosed(order_id="ord-2",
                                                 outcome=CloseOutcome.UNRATED)]


def test_unassignable_closes_the_order() -> None:
    order = placed()
    order.apply(Step.ESCALATE, at(1), by(Role.SERVICE))
    assert order.mark_unassignable(at(2), DISPATCH) == [
        OrderClosed(order_id="ord-1", outcome=CloseOutcome.UNASSIGNABLE)]
    assert order.status is Status.UNASSIGNABLE


@pytest.mark.parametrize("then_close", [False, True])
def test_reopen_sends_a_served_order_back_to_dispatch(then_close: bool) -> None:
    order = _served()
    order.rate(1, at(10), RESIDENT)
    if then_close:
        order.close(at(11), REQUESTS)
    events = order.reopen("fu-1", "血压计没带，需再上门", at(20), OPERATOR)
    assert events == [OrderReopened(order_id="ord-1", follow_up_id="fu-1",
                                    reason="血压计没带，需再上门", reopen_count=1)]
    assert (order.status, order.stars, order.outcome) == (Status.PLACED, None, None)
    order.apply(Step.DISPATCH, at(21), by(Role.SERVICE))  # waiting for dispatch again
    assert order.timeline[-2].step is Step.REOPEN


@pytest.mark.parametrize("ending", ["cancel", "unassignable", "open", "duplicate"])
def test_reopen_is_refused_unless_the_order_was_served(ending: str) -> None:
    order = placed()
    if ending == "duplicate":
        new = new_order()
        order, _ = place_order("ord-2", new, DEFAULT_MENU.get(new.category), at(0), placer(new), "ord-1")
    elif ending == "cancel":
        order.cancel(CancelReason.WITHDRAWN, at(1), OPERATOR)
    elif ending == "unassignable":
        order.mark_unassignable(at(1), DISPATCH)
    with pytest.raises(ImpossibleTransition):
        order.reopen("fu-1", "再来一次", at(20), OPERATOR)
