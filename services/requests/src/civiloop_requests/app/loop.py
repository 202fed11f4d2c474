"""Order status from the loop: dispatch, volunteers and feedback events move each order.

Every handler loads the order, takes one domain step and saves it. An unknown order or a
step its status forbids (a late or repeated report) is logged and counted, never raised:
it is no fault of the event, and retrying or dead-lettering it would not help.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.events.dispatch import (
    EscalationCause,
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    WithdrawCause,
)
from civiloop_contracts.events.feedback import (
    FeedbackGiven,
    FollowUpResolution,
    FollowUpResolved,
    RatingLapsed,
)
from civiloop_contracts.events.service import (
    OrderAccepted,
    OrderDeclined,
    ServiceCheckedIn,
    ServiceCompleted,
)
from civiloop_contracts.payload import Payload
from civiloop_contracts.values import Role
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Received
from civiloop_requests.app.announce import publish_change
from civiloop_requests.app.metrics import TRANSITIONS_IGNORED
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.actor import DISPATCH, FEEDBACK, MATCHER, REQUESTS, Actor
from civiloop_requests.domain.errors import ImpossibleTransition
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Step

SOURCE = "civiloop/requests"
log = get_logger(__name__)

Change = Callable[[Order], list[Payload]]


def ignored(step: Step, reason: str, **fields: Any) -> None:
    """Log and count a loop event that changed no order."""
    TRANSITIONS_IGNORED.labels(step=step.value, reason=reason).inc()
    log.warning("loop event ignored", step=step.value, reason=reason, **fields)


async def change_order(event: Received[Any], uow: UnitOfWork, step: Step,
                       change: Change) -> None:
    """Load the event's order, apply ``change``, save it and publish what it raised."""
    order_id: str = event.payload.order_id
    order = await uow.orders.get(order_id)
    if order is None:
        ignored(step, "unknown_order", order_id=order_id)
        return
    before = len(order.timeline)
    try:
        raised = change(order)
    except ImpossibleTransition as exc:
        ignored(step, "impossible_transition", order_id=order_id, status=str(exc.status))
        return
    await uow.orders.save(order)

    def announce(payload: Payload, time: datetime | None = None) -> Envelope:
        return event.follow_up(payload, source=SOURCE, time=time)
    publish_change(uow, order, raised, announce, lines_before=before)


async def on_dispatched(event: Received[OrderDispatched | OrderRedispatched],
                        uow: UnitOfWork) -> None:
    """部门派单: the order went to a team or volunteers (again, after a redispatch)."""
    payload = event.payload
    note = f"assignment {payload.assignment_id} (attempt {payload.attempt})"
    by = MATCHER if payload.dispatched_by is Role.SERVICE else Actor(
        role=payload.dispatched_by, id=payload.dispatcher_id)
    await change_order(event, uow, Step.DISPATCH, lambda order: order.apply(
        Step.DISPATCH, event.envelope.time, by, note))


async def on_declined(event: Received[OrderDeclined], uow: UnitOfWork) -> None:
    """The assignee said no; the order waits for a redispatch."""
    note = f"declined: {event.payload.reason}"
    by = Actor(role=Role.VOLUNTEER, id=event.payload.declined_by)
    await change_order(event, uow, Step.DECLINE, lambda order: order.apply(
        Step.DECLINE, event.envelope.time, by, note))


async def on_withdrawn(event: Received[OrderWithdrawn], uow: UnitOfWork) -> None:
    """An assignment expired unaccepted; other withdrawals leave the order's status as is."""
    if event.payload.cause is not WithdrawCause.EXPIRED:
        return  # grab lost or taken back: a redispatch (or the accept) follows
    note = f"assignment {event.payload.assignment_id} expired"
    await change_order(event, uow, Step.EXPIRE, lambda order: order.apply(
        Step.EXPIRE, event.envelope.time, DISPATCH, note))


async def on_escalated(event: Received[OrderEscalated], uow: UnitOfWork) -> None:
    """The order moved up a level (station → institute → centre)."""
    payload = event.payload
    # Dispatch has no manual escalation yet, so its event names no dispatcher.
    by = Actor(role=Role.DISPATCHER) if payload.cause is EscalationCause.MANUAL else DISPATCH
    note = f"{payload.from_level} → {payload.to_level}: {payload.cause}"
    await change_order(event, uow, Step.ESCALATE, lambda order: order.apply(
        Step.ESCALATE, event.envelope.time, by, note))


async def on_accepted(event: Received[OrderAccepted], uow: UnitOfWork) -> None:
    """志愿者接单: a volunteer or team took the order."""
    payload = event.payload
    note = f"assignment {payload.assignment_id}" + (f", team {payload.team_id}"
                                                    if payload.team_id else "")
    by = Actor(role=Role.VOLUNTEER, id=payload.accepted_by)
    await change_order(event, uow, Step.ACCEPT, lambda order: order.accept(
        payload.volunteer_ids, event.envelope.time, by, note))


async def on_checked_in(event: Received[ServiceCheckedIn], uow: UnitOfWork) -> None:
    """A volunteer arrived: the order is in service."""
    by = Actor(role=Role.VOLUNTEER, id=event.payload.volunteer_id)
    await change_order(event, uow, Step.START_SERVICE, lambda order: order.apply(
        Step.START_SERVICE, event.envelope.time, by))


async def on_completed(event: Received[ServiceCompleted], uow: UnitOfWork) -> None:
    """The service is done; the order waits for the resident's rating."""
    note = f"{event.payload.people_served} served"
    by = Actor(role=Role.VOLUNTEER, id=event.payload.completed_by)
    await change_order(event, uow, Step.COMPLETE, lambda order: order.apply(
        Step.COMPLETE, event.envelope.time, by, note))


async def on_feedback(event: Received[FeedbackGiven], uow: UnitOfWork) -> None:
    """老百姓评单: the resident rated the service; the order closes as rated."""
    payload, at = event.payload, event.envelope.time
    await change_order(event, uow, Step.RATE, lambda order: [
        *order.rate(payload.stars, at, _rater(payload, order)), *order.close(at, REQUESTS)])


def _rater(rating: FeedbackGiven, order: Order) -> Actor:
    """Staff who typed the rating in, or the resident who ordered (feedback takes no other)."""
    if rating.recorded_by is not None and rating.recorded_by is not Role.RESIDENT:
        return Actor(role=rating.recorded_by, id=rating.recorder_id)
    return Actor(role=Role.RESIDENT, id=order.requester.resident_id)


async def on_rating_lapsed(event: Received[RatingLapsed], uow: UnitOfWork) -> None:
    """Nobody rated the served order in time: it closes as unrated."""
    await change_order(event, uow, Step.CLOSE, lambda order: order.close(
        event.envelope.time, FEEDBACK))


async def on_unassignable(event: Received[OrderUnassignable], uow: UnitOfWork) -> None:
    """Nobody at any level can take the order: it closes as unassignable."""
    note = f"no taker at {event.payload.level} after {event.payload.attempts} attempts"
    await change_order(event, uow, Step.MARK_UNASSIGNABLE, lambda order: order.mark_unassignable(
        event.envelope.time, DISPATCH, note))


async def on_follow_up_resolved(event: Received[FollowUpResolved], uow: UnitOfWork) -> None:
    """回访 decided to serve again: the order reopens and goes back to dispatch."""
    payload = event.payload
    if payload.resolution is not FollowUpResolution.REOPEN:
        return  # explained or dismissed: the order stays closed
    reason = (payload.note or "follow-up asked for another service")[:500]
    by = Actor(role=Role.STATION_OPERATOR, id=payload.resolved_by)
    await change_order(event, uow, Step.REOPEN, lambda order: order.reopen(
        payload.follow_up_id, reason, event.envelope.time, by))
