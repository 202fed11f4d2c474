"""Orders' lives: requests' timeline lines, and what volunteers and feedback add to them.

The order's milestones (dispatched, accepted, completed, rated, closed, cancelled,
escalated, unassignable) are requests' timeline, announced line by line
(OrderStepRecorded): requests alone decides what an order's status is, in the order it
hears of each report, and ignores a step the status forbids. The dispatch, volunteers
and feedback reports themselves are not counted as milestones (see domain/lifecycle.py).
What only those services know is: people served (ServiceCompleted) and stars (feedback).

Every fact keeps the time it happened (the envelope's ``time``, never when stats heard of
it), so a replay gives the same figures and "as of" a past date works.
"""

from __future__ import annotations

from civiloop_contracts.events.feedback import (
    FeedbackChanged,
    FeedbackGiven,
    FollowUpOpened,
    FollowUpResolved,
)
from civiloop_contracts.events.requests import OrderPlaced, OrderStepRecorded
from civiloop_contracts.events.service import ServiceCompleted
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


async def on_step_recorded(event: Received[OrderStepRecorded], uow: UnitOfWork) -> None:
    """A line of the order's timeline, as requests recorded it (工单流转)."""
    p = event.payload
    await uow.models.order_history(p.order_id, "steps", {
        "seq": p.seq, "step": p.step.value, "status": p.status.value,
        "outcome": p.outcome.value if p.outcome else None, "at": moment(event.envelope.time)})


async def on_completed(event: Received[ServiceCompleted], uow: UnitOfWork) -> None:
    """The service is done: a completion with the people served (one per assignment)."""
    p = event.payload
    await uow.models.order_history(p.order_id, "completions", {
        "key": p.assignment_id or "-", "at": moment(event.envelope.time),
        "people": p.people_served})


async def on_feedback(event: Received[FeedbackGiven], uow: UnitOfWork) -> None:
    """老百姓评单: the resident's stars (whether the order counts as rated is requests' line)."""
    await uow.models.order_values(event.payload.order_id, stars=event.payload.stars)


async def on_feedback_changed(event: Received[FeedbackChanged], uow: UnitOfWork) -> None:
    """A rating changed within its window: the highest revision's stars count."""
    p = event.payload
    # A history, not a $set: revisions may arrive in any order, the highest one wins.
    await uow.models.order_history(p.order_id, "star_changes", {
        "at": moment(event.envelope.time), "value": p.stars, "revision": p.revision})


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
    OrderPlaced: on_placed, OrderStepRecorded: on_step_recorded, ServiceCompleted: on_completed,
    FeedbackGiven: on_feedback, FeedbackChanged: on_feedback_changed,
    FollowUpOpened: on_follow_up_opened, FollowUpResolved: on_follow_up_resolved,
}
