"""Orders' lives from every topic: one handler per event, each recording one fact.

The time of every fact is the envelope's ``time`` (when it happened), never when stats
heard of it, so a replay gives the same figures and "as of" a past date works.
"""

from __future__ import annotations

from civiloop_contracts.events.dispatch import (
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
)
from civiloop_contracts.events.feedback import (
    FeedbackChanged,
    FeedbackGiven,
    FollowUpOpened,
    FollowUpResolved,
)
from civiloop_contracts.events.requests import (
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderReopened,
)
from civiloop_contracts.events.service import OrderAccepted, ServiceCompleted
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler, Received
from civiloop_stats.adapters.read_models import moment, place
from civiloop_stats.app.ports import UnitOfWork


async def on_placed(event: Received[OrderPlaced], uow: UnitOfWork) -> None:
    """群众点单: the order, where and what it is for, and when it was placed."""
    p = event.payload
    await uow.models.order_placed(p.order_id, {
        "place": place(p.unit), "platform": p.platform.value, "category": p.category,
        "group_activity": p.group_activity}, event.envelope.time)


async def on_dispatched(event: Received[OrderDispatched | OrderRedispatched],
                        uow: UnitOfWork) -> None:
    """部门派单: the first dispatch of an order counts (a redispatch before it, too)."""
    await uow.models.order_reached(event.payload.order_id, "dispatched_at", event.envelope.time)


async def on_accepted(event: Received[OrderAccepted], uow: UnitOfWork) -> None:
    """志愿者接单: the first acceptance of an order."""
    await uow.models.order_reached(event.payload.order_id, "accepted_at", event.envelope.time)


async def on_completed(event: Received[ServiceCompleted], uow: UnitOfWork) -> None:
    """The service is done: a completion with the people served (one per assignment)."""
    p, at = event.payload, event.envelope.time
    await uow.models.order_reached(p.order_id, "completed_at", at)
    await uow.models.order_history(p.order_id, "completions", {
        "key": p.assignment_id or "-", "at": moment(at), "people": p.people_served})


async def on_cancelled(event: Received[OrderCancelled], uow: UnitOfWork) -> None:
    """The order was cancelled before it was served."""
    await uow.models.order_reached(event.payload.order_id, "cancelled_at", event.envelope.time)


async def on_escalated(event: Received[OrderEscalated], uow: UnitOfWork) -> None:
    """The order moved up a level; the first escalation counts."""
    await uow.models.order_reached(event.payload.order_id, "escalated_at", event.envelope.time)


async def on_unassignable(event: Received[OrderUnassignable], uow: UnitOfWork) -> None:
    """Nobody could take the order."""
    await uow.models.order_reached(event.payload.order_id, "unassignable_at", event.envelope.time)


async def on_feedback(event: Received[FeedbackGiven], uow: UnitOfWork) -> None:
    """老百姓评单: the resident's stars (feedback records one rating per order)."""
    await uow.models.order_reached(event.payload.order_id, "rated_at", event.envelope.time,
                                   stars=event.payload.stars)


async def on_feedback_changed(event: Received[FeedbackChanged], uow: UnitOfWork) -> None:
    """A rating changed within its window: the highest revision's stars count."""
    p = event.payload
    # A history, not a $set: revisions may arrive in any order, the highest one wins.
    await uow.models.order_history(p.order_id, "star_changes", {
        "at": moment(event.envelope.time), "value": p.stars, "revision": p.revision})


async def on_closed(event: Received[OrderClosed], uow: UnitOfWork) -> None:
    """The order closed with an outcome; a rated close also counts as the rating."""
    p, at = event.payload, event.envelope.time
    await uow.models.order_history(p.order_id, "closes", {"at": moment(at), "value": p.outcome.value})
    if p.outcome is CloseOutcome.RATED and p.stars is not None:
        await uow.models.order_reached(p.order_id, "rated_at", at, stars=p.stars)


async def on_reopened(event: Received[OrderReopened], uow: UnitOfWork) -> None:
    """A follow-up sent the order back to dispatch: its earlier close no longer stands."""
    await uow.models.order_history(event.payload.order_id, "reopens", moment(event.envelope.time))


async def on_follow_up_opened(event: Received[FollowUpOpened], uow: UnitOfWork) -> None:
    """A follow-up (回访) was opened for an order."""
    p = event.payload
    await uow.models.entity("follow_ups", p.follow_up_id, {"order_id": p.order_id},
                            first={"opened_at": event.envelope.time})


async def on_follow_up_resolved(event: Received[FollowUpResolved], uow: UnitOfWork) -> None:
    """A follow-up was resolved."""
    p = event.payload
    await uow.models.entity("follow_ups", p.follow_up_id, {"order_id": p.order_id},
                            first={"resolved_at": event.envelope.time})


ORDER_HANDLERS: dict[type[Payload], Handler] = {
    OrderPlaced: on_placed, OrderDispatched: on_dispatched, OrderRedispatched: on_dispatched,
    OrderAccepted: on_accepted, ServiceCompleted: on_completed, OrderCancelled: on_cancelled,
    OrderEscalated: on_escalated, OrderUnassignable: on_unassignable, FeedbackGiven: on_feedback,
    FeedbackChanged: on_feedback_changed,
    OrderClosed: on_closed, OrderReopened: on_reopened, FollowUpOpened: on_follow_up_opened,
    FollowUpResolved: on_follow_up_resolved,
}
