"""What the feedback service learns of each order from requests and volunteers.

Placing says who may rate and where; the completion says who served and starts the rating
window; a cancellation or reopen changes what may be rated. Topics are not ordered with
each other, so every handler works whichever of them arrives first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from civiloop_contracts.events.requests import (
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderReopened,
)
from civiloop_contracts.events.service import ServiceCompleted
from civiloop_contracts.payload import Payload
from civiloop_feedback.app.intake import release_parked
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.domain.order import Placement, ServedOrder, Service
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Handler, Received

log = get_logger(__name__)
UNSERVED = frozenset({CloseOutcome.CANCELLED, CloseOutcome.DUPLICATE, CloseOutcome.UNASSIGNABLE})


async def change_order(uow: UnitOfWork, order_id: str,
                       change: Callable[[ServedOrder], bool | None]) -> ServedOrder:
    """Load (or start) the order's record, apply ``change``, save unless it said False."""
    order = await uow.orders.get(order_id) or ServedOrder(order_id=order_id)
    if change(order) is False:
        log.info("order event changed nothing", order_id=order_id)
        return order
    await uow.orders.save(order)
    return order


async def release_if_parked(uow: UnitOfWork, order: ServedOrder, policy: Policy) -> None:
    """Apply (or drop) the order's parked ratings once it is placed; none to look for when
    it counts none."""
    # Parking counts on the order's document in the parking transaction, which conflicts
    # with this one: a count of 0 read here means nothing is parked. Before the placement
    # nobody can be checked as its rater, so ratings keep waiting (a completion can come
    # between a rating and its placement: the topics are not ordered with each other).
    if order.parked and order.placement is not None:
        await release_parked(uow, order.order_id, policy)


async def on_order_placed(event: Received[OrderPlaced], uow: UnitOfWork,
                          policy: Policy) -> None:
    """An order exists: where, what, and the resident who may rate it; ratings that came
    before it apply now if the order was served (or cancelled) first, else at completion."""
    p = event.payload
    placement = Placement(unit=p.unit, category=p.category, platform=p.platform,
                          resident_id=p.resident_id, requested_by=p.requested_by)
    # Whatever else is known of the order (a completion may come first), its placement is
    # this: one write, no read.
    order = await uow.orders.put(ServedOrder(order_id=p.order_id, placement=placement),
                                 ["placement"])
    if not order.awaits_completion:
        await release_if_parked(uow, order, policy)


async def on_service_completed(event: Received[ServiceCompleted], uow: UnitOfWork,
                               policy: Policy) -> None:
    """The round is served: who served it; the rating window starts; parked ratings apply."""
    p = event.payload
    service = Service(completed_at=event.envelope.time, team_id=p.team_id,
                      volunteer_ids=[line.volunteer_id for line in p.hours],
                      people_served=p.people_served)
    order = await change_order(uow, p.order_id, lambda order: order.complete(service))
    await release_if_parked(uow, order, policy)


async def on_order_cancelled(event: Received[OrderCancelled], uow: UnitOfWork,
                             policy: Policy) -> None:
    """A cancelled order is never rated."""

    def cancel(order: ServedOrder) -> None:
        order.cancelled = True

    order = await change_order(uow, event.payload.order_id, cancel)
    await release_if_parked(uow, order, policy)  # refused now: logged, dropped


async def on_order_closed(event: Received[OrderClosed], uow: UnitOfWork,
                          policy: Policy) -> None:
    """An order closed without being served (a duplicate, nobody to take it) is never rated."""
    if event.payload.outcome not in UNSERVED:
        return  # rated or unrated: this service's own events said so first

    def close(order: ServedOrder) -> None:
        order.cancelled = True

    order = await change_order(uow, event.payload.order_id, close)
    await release_if_parked(uow, order, policy)  # refused now: logged, dropped


async def on_order_reopened(event: Received[OrderReopened], uow: UnitOfWork) -> None:
    """A follow-up sent the order back: a new round, to be served and rated again."""
    round_ = event.payload.reopen_count + 1
    await change_order(uow, event.payload.order_id, lambda order: order.reopen(round_))


LOOP_WANTS: dict[type[Payload], Callable[[Any], bool]] = {
    OrderClosed: lambda closed: closed.outcome in UNSERVED,
}
"""The loop events whose payload alone says the handler has work (see ``Subscription.wants``):
a rated or unrated close changes nothing here, so it costs no inbox mark nor transaction."""


def loop_handlers(policy: Policy) -> dict[type[Payload], Handler]:
    """Which handler applies each event the ``feedback-orders`` group consumes."""

    def with_policy(handler: Callable[[Any, Any, Policy], Awaitable[None]]) -> Handler:
        return lambda event, uow: handler(event, uow, policy)

    return {
        OrderPlaced: with_policy(on_order_placed),
        OrderCancelled: with_policy(on_order_cancelled),
        OrderClosed: with_policy(on_order_closed),
        OrderReopened: on_order_reopened,
        ServiceCompleted: with_policy(on_service_completed),
    }
