"""The order's status machine: every step the loop allows, and the ones it refuses."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.requests import CancelReason, CloseOutcome, OrderClosed
from civiloop_contracts.values import Role
from civiloop_requests.domain.actor import DISPATCH, REQUESTS
from civiloop_requests.domain.errors import DomainError, ImpossibleTransition
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Status, Step
from tests.services.requests.builders import OPERATOR, RESIDENT, at, by, placed

DISPATCHER, VOLUNTEER = Role.DISPATCHER, Role.VOLUNTEER
HAPPY_PATH = [  # step reported by another service, who acted, the status it leads to
    (Step.DISPATCH, DISPATCHER, Status.DISPATCHED),
    (Step.ACCEPT, VOLUNTEER, Status.ACCEPTED),
    (Step.START_SERVICE, VOLUNTEER, Status.IN_SERVICE),
    (Step.COMPLETE, VOLUNTEER, Status.COMPLETED),
]


_WALKS: dict[Status, list[Step]] = {
    Status.PLACED: [], Status.DISPATCHED: [Step.DISPATCH],
    Status.DECLINED: [Step.DISPATCH, Step.DECLINE], Status.EXPIRED: [Step.DISPATCH, Step.EXPIRE],
    Status.ESCALATED: [Step.ESCALATE], Status.ACCEPTED: [Step.DISPATCH, Step.ACCEPT],
    Status.IN_SERVICE: [Step.DISPATCH, Step.ACCEPT, Step.START_SERVICE],
    Status.COMPLETED: [Step.DISPATCH, Step.ACCEPT, Step.COMPLETE],
}


def _reach(status: Status) -> Order:
    """An order taken to ``status`` through allowed steps only."""
    order = placed()
    if status is Status.CANCELLED:
        order.cancel(CancelReason.WITHDRAWN, at(1), OPERATOR)
    elif status is Status.UNASSIGNABLE:
        order.mark_unassignable(at(1), DISPATCH)
    else:
        walk = _WALKS.get(status, _WALKS[Status.COMPLETED])
        for minute, step in enumerate(walk, start=1):
            order.apply(step, at(minute), by(Role.SERVICE))
        if status in (Status.RATED, Status.CLOSED):
            order.rate(5, at(50), RESIDENT)
        if status is Status.CLOSED:
            order.close(at(51), REQUESTS)
    assert order.status is status
    return order


def test_the_happy_path_records_each_step_with_its_actor() -> None:
    order = placed()
    for minute, (step, actor, status) in enumerate(HAPPY_PATH, start=1):
        assert order.apply(step, at(minute), by(actor)) == []
        assert order.status is status
    order.rate(4, at(10), RESIDENT)
    order.close(at(11), REQUESTS)
    steps = [(e.step, e.status, e.actor) for e in order.timeline]
    assert steps == [
        (Step.PLACE, Status.PLACED, Role.RESIDENT),
        *[(step, status, actor) for step, actor, status in HAPPY_PATH],
        (Step.RATE, Status.RATED, Role.RESIDENT),
        (Step.CLOSE, Status.CLOSED, Role.SERVICE),
    ]
    assert [e.at for e in order.timeline] == [at(m) for m in (0, 1, 2, 3, 4, 10, 11)]


ALLOWED = [
    (Status.PLACED, Step.DISPATCH, Status.DISPATCHED),
    (Status.PLACED, Step.ESCALATE, Status.ESCALATED),
    (Status.DISPATCHED, Step.DISPATCH, Status.DISPATCHED),
    (Status.DISPATCHED, Step.DECLINE, Status.DECLINED),
    (Status.DISPATCHED, Step.EXPIRE, Status.EXPIRED),
    (Status.DISPATCHED, Step.ESCALATE, Status.ESCALATED),
    (Status.DISPATCHED, Step.ACCEPT, Status.ACCEPTED),
    (Status.DECLINED, Step.DISPATCH, Status.DISPATCHED),
    (Status.DECLINED, Step.ESCALATE, Status.ESCALATED),
    (Status.EXPIRED, Step.DISPATCH, Status.DISPATCHED),
    (Status.EXPIRED, Step.ESCALATE, Status.ESCALATED),
    (Status.ESCALATED, Step.DISPATCH, Status.DISPATCHED),
    (Status.ESCALATED, Step.ESCALATE, Status.ESCALATED),
    (Status.ACCEPTED, Step.START_SERVICE, Status.IN_SERVICE),
    (Status.ACCEPTED, Step.COMPLETE, Status.COMPLETED),
    (Status.IN_SERVICE, Step.START_SERVICE, Status.IN_SERVICE),
    (Status.IN_SERVICE, Step.COMPLETE, Status.COMPLETED),
]


@pytest.mark.parametrize(("start", "step", "end"), ALLOWED)
def test_a_reported_step_moves_the_order(start: Status, step: Step, end: Status) -> None:
    order = _reach(start)
    order.apply(step, at(60), by(Role.SERVICE))
    assert order.status is end
    assert order.timeline[-1].step is step


IMPOSSIBLE = [
    (Status.PLACED, Step.DECLINE), (Status.PLACED, Step.EXPIRE), (Status.DECLINED, Step.EXPIRE),
    (Status.ESCALATED, Step.DECLINE), (Status.IN_SERVICE, Step.DISPATCH),
    (Status.ACCEPTED, Step.DISPATCH), (Status.ACCEPTED, Step.DECLINE),
    (Status.IN_SERVICE, Step.ACCEPT), (Status.COMPLETED, Step.DISPATCH),
    (Status.COMPLETED, Step.COMPLETE), (Status.RATED, Step.ACCEPT),
    (Status.CLOSED, Step.DISPATCH), (Status.CANCELLED, Step.DISPATCH),
    (Status.CANCELLED, Step.ACCEPT), (Status.UNASSIGNABLE, Step.DISPATCH),
]


@pytest.mark.parametrize(("start", "step"), IMPOSSIBLE)
def test_an_impossible_step_is_refused_and_changes_nothing(start: Status, step: Step) -> None:
    order = _reach(start)
    before = order.model_copy(deep=True)
    with pytest.raises(ImpossibleTransition) as refused:
        order.apply(step, at(60), by(Role.SERVICE))
    assert (refused.value.status, refused.value.step) == (start, step)
    assert order == before


@pytest.mark.parametrize("status", [Status.PLACED, Status.DISPATCHED, Status.DECLINED])
def test_closing_before_anyone_served_is_refused(status: Status) -> None:
    order = _reach(status)
    with pytest.raises(ImpossibleTransition):
        order.close(at(60), REQUESTS)


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.DECLINED, Status.ESCALATED])
def test_a_rating_may_overtake_the_accept_and_completion_reports(status: Status) -> None:
    # Feedback takes a rating only after the completion: the volunteers topic lagged.
    order = _reach(status)
    order.rate(3, at(60), RESIDENT)
    [closed] = order.close(at(60), REQUESTS)
    assert isinstance(closed, OrderClosed)
    assert (order.status, closed.outcome, closed.stars) == (Status.CLOSED,
                                                            CloseOutcome.RATED, 3)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.UNASSIGNABLE, Status.CLOSED])
def test_a_rating_of_an_ended_order_is_refused(status: Status) -> None:
    order = _reach(status)
    with pytest.raises(ImpossibleTransition):
        order.rate(5, at(60), RESIDENT)


def test_an_overtaken_accept_still_names_who_served_without_a_step() -> None:
    order = _reach(Status.DISPATCHED)
    order.rate(5, at(60), RESIDENT)
    order.close(at(60), REQUESTS)
    steps = len(order.timeline)
    assert order.accept(["vol-1"], at(59), by(VOLUNTEER)) == []
    assert (order.served_by, len(order.timeline)) == (["vol-1"], steps)
    # Once someone is named, a second (replayed) accept is the impossible step it is.
    with pytest.raises(ImpossibleTransition):
        order.accept(["vol-2"], at(61), by(VOLUNTEER))
    assert order.served_by == ["vol-1"]


def test_an_accept_after_a_cancel_names_nobody() -> None:
    order = _reach(Status.CANCELLED)
    with pytest.raises(ImpossibleTransition):
        order.accept(["vol-1"], at(60), by(VOLUNTEER))
    assert order.served_by == []


OVERTAKEN = [(Status.PLACED, Step.ACCEPT, Step.DISPATCH),
             (Status.DECLINED, Step.ACCEPT, Step.DISPATCH),
             (Status.DISPATCHED, Step.COMPLETE, Step.ACCEPT),
             (Status.ESCALATED, Step.START_SERVICE, Step.DISPATCH)]


@pytest.mark.parametrize(("start", "later", "earlier"), OVERTAKEN)
def test_a_later_report_that_overtook_an_earlier_one_is_taken(
        start: Status, later: Step, earlier: Step) -> None:
    # Topics are not ordered with each other: the later step implies the earlier one,
    # which is then ignored when it arrives.
    order = _reach(start)
    order.apply(later, at(60), by(Role.SERVICE))
    with pytest.raises(ImpossibleTransition):
        order.apply(earlier, at(59), by(Role.SERVICE))
    assert order.timeline[-1].step is later


def test_a_rating_may_overtake_the_completion_report() -> None:
    order = _reach(Status.ACCEPTED)
    order.rate(4, at(60), RESIDENT)
    [closed] = order.close(at(60), REQUESTS)
    assert isinstance(closed, OrderClosed)
    assert (closed.outcome, closed.stars) == (CloseOutcome.RATED, 4)


def test_steps_with_their_own_method_cannot_go_through_apply() -> None:
    with pytest.raises(DomainError, match="own method"):
        _reach(Status.COMPLETED).apply(Step.RATE, at(60), by(Role.RESIDENT))
