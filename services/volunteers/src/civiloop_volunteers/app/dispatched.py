"""What dispatch and requests tell the volunteers service: offers, withdrawals, order facts.

Each handler is idempotent by natural key too (the assignment id, the order id), so an
event republished under a new id changes nothing the first copy did not.
"""

from __future__ import annotations

from civiloop_contracts.events.dispatch import (
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
)
from civiloop_contracts.events.requests import OrderCancelled, OrderClosed, OrderPlaced
from civiloop_platform.messages import Received
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.orders import OrderView


async def on_dispatched(event: Received[OrderDispatched | OrderRedispatched], uow: Uow) -> None:
    """部门派单: the order is offered to these teams or volunteers."""
    p = event.payload
    await uow.offers.add_if_absent(Offer(
        assignment_id=p.assignment_id, order_id=p.order_id, mode=p.mode,
        dispatching_unit=p.dispatching_unit, team_ids=p.team_ids, volunteer_ids=p.volunteer_ids,
        accept_deadline=p.accept_deadline, attempt=p.attempt))
    if isinstance(p, OrderRedispatched) and p.previous_assignment_id is not None:
        await withdraw(uow, p.previous_assignment_id, f"redispatched ({p.cause.value})")


async def withdraw(uow: Uow, assignment_id: str, cause: str,
                   parties: list[str] | None = None) -> None:
    """Take an offer back from ``parties`` (or whole); an unknown one is left alone."""
    offer = await uow.offers.get(assignment_id)
    if offer is None:
        return
    offer.withdraw(cause, parties)
    await uow.offers.save(offer)


async def withdraw_order(uow: Uow, order_id: str, cause: str, *, open_only: bool) -> None:
    """Take back every offer of an order (only those nobody accepted, if ``open_only``)."""
    for offer in await uow.offers.of_order(order_id):
        if not (open_only and offer.accepted):
            offer.withdraw(cause)
            await uow.offers.save(offer)


async def on_withdrawn(event: Received[OrderWithdrawn], uow: Uow) -> None:
    """An assignment no longer stands for some or all of its parties."""
    p = event.payload
    parties = [*p.team_ids, *p.volunteer_ids] or None
    await withdraw(uow, p.assignment_id, p.cause.value, parties)


async def on_escalated(event: Received[OrderEscalated], uow: Uow) -> None:
    """The order moved up a level: offers nobody accepted lapse."""
    p = event.payload
    await withdraw_order(uow, p.order_id, f"escalated to {p.to_level.value}", open_only=True)


async def on_unassignable(event: Received[OrderUnassignable], uow: Uow) -> None:
    """Nobody can take the order: its open offers lapse."""
    await withdraw_order(uow, event.payload.order_id, "unassignable", open_only=True)


async def on_placed(event: Received[OrderPlaced], uow: Uow) -> None:
    """Keep what an assignee may know of the order (place, window, need, masked contact)."""
    await uow.orders.add_if_absent(OrderView.of(event.payload))


async def on_cancelled(event: Received[OrderCancelled], uow: Uow) -> None:
    """The order is cancelled: every offer of it is withdrawn, accepted or not."""
    p = event.payload
    await uow.orders.close(p.order_id, f"cancelled ({p.reason.value})")
    await withdraw_order(uow, p.order_id, f"cancelled ({p.reason.value})", open_only=False)


async def on_closed(event: Received[OrderClosed], uow: Uow) -> None:
    """The order left the loop: offers nobody accepted lapse."""
    p = event.payload
    await uow.orders.close(p.order_id, f"closed ({p.outcome.value})")
    await withdraw_order(uow, p.order_id, f"closed ({p.outcome.value})", open_only=True)
