"""The loop handlers on fakes: each event takes its step; unknown and impossible ones are ignored."""

from __future__ import annotations

from typing import Any

import pytest

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.events.dispatch import (
    AssignMode,
    EscalationCause,
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    RedispatchCause,
    WithdrawCause,
)
from civiloop_contracts.events.feedback import (
    FeedbackGiven,
    FollowUpResolution,
    FollowUpResolved,
    RatingLapsed,
)
from civiloop_contracts.events.requests import (
    CancelReason,
    CloseOutcome,
    OrderClosed,
    OrderReopened,
    OrderStepRecorded,
)
from civiloop_contracts.events.service import (
    DeclineReason,
    OrderAccepted,
    OrderDeclined,
    ServiceCheckedIn,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.values import Role, UnitLevel
from civiloop_platform.messages import Received
from civiloop_platform.testing import FakeUnitOfWork
from civiloop_requests.app.handlers import LOOP_HANDLERS
from civiloop_requests.app.loop import SOURCE
from civiloop_requests.app.metrics import TRANSITIONS_IGNORED
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Status, Step
from tests.services.requests.builders import RESIDENT, at, placed, unit


class FakeOrders:
    """Orders in a dict; ``saved`` counts the writes."""

    def __init__(self, *orders: Order) -> None:
        self.stored = {o.order_id: o.model_copy(deep=True) for o in orders}
        self.saved = 0

    async def get(self, order_id: str) -> Order | None:
        order = self.stored.get(order_id)
        return None if order is None else order.model_copy(deep=True)

    async def add(self, order: Order) -> None:
        assert order.order_id not in self.stored
        self.stored[order.order_id] = order.model_copy(deep=True)

    async def save(self, order: Order) -> None:
        assert order.order_id in self.stored
        self.stored[order.order_id] = order.model_copy(deep=True)
        self.saved += 1


class FakeRequestsUnitOfWork(FakeUnitOfWork):
    """The platform's fake unit of work with the orders repository."""

    def __init__(self, *orders: Order) -> None:
        super().__init__()
        self.orders = FakeOrders(*orders)


def _assignment(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "order_id": "ord-1", "assignment_id": "as-1", "mode": AssignMode.DIRECTIVE,
        "level": UnitLevel.STATION, "dispatching_unit": unit(), "volunteer_ids": ["vol-1"],
        "accept_deadline": at(120), "score": 0.8, "attempt": 1, **changes}
    return fields


def dispatched(**changes: Any) -> OrderDispatched:
    return OrderDispatched(**_assignment(**changes))


def accepted(order_id: str = "ord-1") -> OrderAccepted:
    return OrderAccepted(order_id=order_id, assignment_id="as-1", accepted_by="vol-1",
                         volunteer_ids=["vol-1"])


def completed() -> ServiceCompleted:
    return ServiceCompleted(order_id="ord-1", hours=[VolunteerHours(volunteer_id="vol-1",
                                                                    hours=1.5)],
                            people_served=1)


async def feed(uow: FakeRequestsUnitOfWork, payload: Payload, minutes: int = 10) -> Envelope:
    """Apply ``payload`` as the consumer would: through its routed handler, in uow.run."""
    envelope = make_event(payload, source="/test", time=at(minutes))
    handler = LOOP_HANDLERS[type(payload)]
    await uow.run(lambda u: handler(Received(payload, envelope), u))
    return envelope


def _stored(uow: FakeRequestsUnitOfWork, order_id: str = "ord-1") -> Order:
    return uow.orders.stored[order_id]


def _ignored(step: Step, reason: str) -> float:
    value = TRANSITIONS_IGNORED.labels(step=step.value, reason=reason)._value.get()
    return float(value)


async def test_the_loop_takes_an_order_from_placed_to_closed() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(dispatched_by=Role.DISPATCHER), 1)
    await feed(uow, accepted(), 2)
    await feed(uow, ServiceCheckedIn(order_id="ord-1", volunteer_id="vol-1"), 3)
    await feed(uow, completed(), 4)
    cause = await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=5), 5)
    order = _stored(uow)
    assert order.status is Status.CLOSED
    assert order.outcome is CloseOutcome.RATED
    assert order.stars == 5
    assert [(e.step, e.actor, e.at) for e in order.timeline[1:]] == [
        (Step.DISPATCH, Role.DISPATCHER, at(1)), (Step.ACCEPT, Role.VOLUNTEER, at(2)),
        (Step.START_SERVICE, Role.VOLUNTEER, at(3)), (Step.COMPLETE, Role.VOLUNTEER, at(4)),
        (Step.RATE, Role.RESIDENT, at(5)), (Step.CLOSE, Role.SERVICE, at(5))]
    [closed] = [e for e in uow.committed if e.type == OrderClosed.event_type()]
    assert closed.source == SOURCE
    assert closed.causationid == cause.id
    assert closed.correlationid == cause.correlationid
    assert closed.data["outcome"] == "rated"
    assert closed.data["stars"] == 5


async def test_every_line_the_loop_records_is_announced_once_at_its_own_time() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, accepted(), 2)
    await feed(uow, accepted(), 3)  # a repeat: ignored, so not announced
    await feed(uow, completed(), 4)
    cause = await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=4), 5)
    steps = [e for e in uow.committed if e.type == OrderStepRecorded.event_type()]
    assert [(e.data["seq"], e.data["step"], e.data["status"], e.data.get("outcome"), e.time)
            for e in steps] == [
        (1, "dispatch", "dispatched", None, at(1)), (2, "accept", "accepted", None, at(2)),
        (3, "complete", "completed", None, at(4)), (4, "rate", "rated", None, at(5)),
        (5, "close", "closed", "rated", at(5))]
    assert {(e.source, e.partitionkey) for e in steps} == {(SOURCE, "ord-1")}
    assert steps[-1].causationid == cause.id
    assert steps[0].data["actor_id"] == "matcher"  # who took each line travels with it
    # The lines are the stored timeline's, one for one.
    assert [(e.step, e.at) for e in _stored(uow).timeline[1:]] == [
        (Step(e.data["step"]), e.time) for e in steps]


async def test_a_step_requests_ignores_is_never_announced() -> None:
    cancelled = placed()
    cancelled.cancel(CancelReason.WITHDRAWN, at(1), RESIDENT)
    uow = FakeRequestsUnitOfWork(cancelled)
    await feed(uow, dispatched(), 2)  # dispatch had not yet heard of the cancel
    assert _stored(uow).status is Status.CANCELLED
    assert uow.committed == []


async def test_decline_expiry_escalation_and_redispatch_are_recorded() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, OrderDeclined(order_id="ord-1", assignment_id="as-1", declined_by="vol-1",
                                  reason=DeclineReason.TOO_FAR), 2)
    assert _stored(uow).status is Status.DECLINED
    await feed(uow, OrderRedispatched(**_assignment(assignment_id="as-2", attempt=2),
                                      cause=RedispatchCause.DECLINED), 3)
    await feed(uow, OrderWithdrawn(order_id="ord-1", assignment_id="as-2",
                                   cause=WithdrawCause.EXPIRED), 4)
    assert _stored(uow).status is Status.EXPIRED
    await feed(uow, OrderEscalated(order_id="ord-1", from_level=UnitLevel.STATION,
                                   to_level=UnitLevel.INSTITUTE, to_unit=unit(),
                                   cause=EscalationCause.MANUAL), 5)
    order = _stored(uow)
    assert order.status is Status.ESCALATED
    assert [(e.step, e.actor) for e in order.timeline[1:]] == [
        (Step.DISPATCH, Role.SERVICE), (Step.DECLINE, Role.VOLUNTEER),
        (Step.DISPATCH, Role.SERVICE), (Step.EXPIRE, Role.SERVICE),
        (Step.ESCALATE, Role.DISPATCHER)]
    # Nothing of its own is raised, but each line of the timeline is announced.
    assert [(e.data["seq"], e.data["step"], e.data["status"]) for e in uow.committed] == [
        (1, "dispatch", "dispatched"), (2, "decline", "declined"), (3, "dispatch", "dispatched"),
        (4, "expire", "expired"), (5, "escalate", "escalated")]


async def test_a_withdrawal_other_than_expiry_leaves_the_order_as_it_is() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, OrderWithdrawn(order_id="ord-1", assignment_id="as-1",
                                   cause=WithdrawCause.GRAB_LOST), 2)
    assert _stored(uow).status is Status.DISPATCHED
    assert uow.orders.saved == 1


async def test_an_unassignable_order_closes_and_says_so() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, OrderUnassignable(order_id="ord-1", level=UnitLevel.CENTRE, attempts=3))
    order = _stored(uow)
    assert order.status is Status.UNASSIGNABLE
    assert order.outcome is CloseOutcome.UNASSIGNABLE
    assert [(e.type, e.data["outcome"]) for e in uow.committed] == [
        (OrderClosed.event_type(), "unassignable"), (OrderStepRecorded.event_type(), "unassignable")]


async def test_an_unknown_order_is_ignored_and_counted() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    before = _ignored(Step.ACCEPT, "unknown_order")
    await feed(uow, accepted(order_id="ord-nobody"))
    assert _ignored(Step.ACCEPT, "unknown_order") == before + 1
    assert uow.orders.saved == 0
    assert uow.committed == []


@pytest.mark.parametrize("payload", [accepted(), completed(),
                                     FeedbackGiven(order_id="ord-1", feedback_id="fb", stars=4)])
async def test_an_impossible_transition_is_ignored_and_counted(payload: Payload) -> None:
    cancelled = placed()
    cancelled.cancel(CancelReason.WITHDRAWN, at(1), RESIDENT)
    uow = FakeRequestsUnitOfWork(cancelled)
    step = {OrderAccepted: Step.ACCEPT, ServiceCompleted: Step.COMPLETE,
            FeedbackGiven: Step.RATE}[type(payload)]
    before = _ignored(step, "impossible_transition")
    await feed(uow, payload)
    assert _ignored(step, "impossible_transition") == before + 1
    assert _stored(uow) == cancelled
    assert uow.orders.saved == 0
    assert uow.committed == []


async def test_a_second_accept_is_ignored() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, accepted(), 2)
    await feed(uow, accepted(), 3)
    assert [e.step for e in _stored(uow).timeline].count(Step.ACCEPT) == 1


def test_every_consumed_event_is_routed_to_an_async_handler() -> None:
    assert set(LOOP_HANDLERS) == {
        OrderDispatched, OrderRedispatched, OrderDeclined, OrderWithdrawn, OrderEscalated,
        OrderAccepted, ServiceCheckedIn, ServiceCompleted, FeedbackGiven, OrderUnassignable,
        FollowUpResolved, RatingLapsed}


async def _served_and_rated(uow: FakeRequestsUnitOfWork) -> None:
    for minute, payload in enumerate([dispatched(), accepted(), completed()], start=1):
        await feed(uow, payload, minute)
    await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=1), 4)


async def test_a_follow_up_asking_to_reopen_sends_the_order_back_to_dispatch() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await _served_and_rated(uow)
    resolved = FollowUpResolved(order_id="ord-1", follow_up_id="fu-1",
                                resolution=FollowUpResolution.REOPEN, note="志愿者没来")
    await feed(uow, resolved, 30)
    order = _stored(uow)
    assert (order.status, order.reopen_count, order.served_by) == (Status.PLACED, 1, [])
    [reopened] = [e for e in uow.committed if e.type == OrderReopened.event_type()]
    assert (reopened.data["follow_up_id"], reopened.data["reason"]) == ("fu-1", "志愿者没来")
    assert order.timeline[-1].actor is Role.STATION_OPERATOR


async def test_a_follow_up_explained_leaves_the_order_closed() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await _served_and_rated(uow)
    await feed(uow, FollowUpResolved(order_id="ord-1", follow_up_id="fu-1",
                                     resolution=FollowUpResolution.EXPLAINED), 30)
    assert _stored(uow).status is Status.CLOSED


async def test_the_volunteers_who_accepted_are_remembered() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, OrderAccepted(order_id="ord-1", assignment_id="as-1", accepted_by="lead-1",
                                  team_id="team-9", volunteer_ids=["vol-1", "vol-2"]), 2)
    assert _stored(uow).served_by == ["vol-1", "vol-2"]
    assert "team team-9" in (_stored(uow).timeline[-1].note or "")


async def test_a_lapsed_rating_closes_the_served_order_as_unrated() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    for minute, payload in enumerate([dispatched(), accepted(), completed()], start=1):
        await feed(uow, payload, minute)
    await feed(uow, RatingLapsed(order_id="ord-1", rate_by=at(60 * 24 * 7)), 60 * 24 * 7)
    order = _stored(uow)
    assert (order.status, order.outcome, order.stars) == (Status.CLOSED, CloseOutcome.UNRATED,
                                                          None)
    [closed] = [e for e in uow.committed if e.type == OrderClosed.event_type()]
    assert closed.data["outcome"] == "unrated"


async def test_a_lapse_before_completion_is_ignored() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, RatingLapsed(order_id="ord-1", rate_by=at(10)), 10)
    assert _stored(uow).status is Status.PLACED


async def test_a_reopened_order_is_served_and_rated_again() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await _served_and_rated(uow)
    await feed(uow, FollowUpResolved(order_id="ord-1", follow_up_id="fu-1",
                                     resolution=FollowUpResolution.REOPEN, note="再来一次"), 30)
    for minute, payload in enumerate([dispatched(assignment_id="as-2", attempt=1), accepted(),
                                      completed()], start=31):
        await feed(uow, payload, minute)
    await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-2", stars=5), 40)
    order = _stored(uow)
    assert (order.status, order.outcome, order.stars, order.reopen_count) == (
        Status.CLOSED, CloseOutcome.RATED, 5, 1)
    closed = [e.data["stars"] for e in uow.committed if e.type == OrderClosed.event_type()]
    assert closed == [1, 5]
