"""Orders from the requests topic: placed ones are dispatched, cancelled ones withdrawn."""

from __future__ import annotations

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import RedispatchCause
from civiloop_contracts.events.requests import (
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderReopened,
)
from civiloop_dispatch.app.common import ignored, publish
from civiloop_dispatch.app.loads import release
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.app.routing import route
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.need import Need
from civiloop_platform.messages import Received


async def on_order_placed(event: Received[OrderPlaced], uow: UnitOfWork) -> None:
    """部门派单: open the order's case, pick the best candidates, dispatch with the reasons."""
    placed, now = event.payload, utcnow()
    case = Case.open(placed.order_id, Need.of(placed), now, event.envelope.correlationid)
    if not await uow.cases.add(case):
        ignored("OrderPlaced", "known_order", order_id=placed.order_id)  # republished
        return
    publish(uow, await route(case, uow, now), event, case)
    await uow.cases.save(case)


async def on_order_cancelled(event: Received[OrderCancelled], uow: UnitOfWork) -> None:
    """A cancelled order is withdrawn from whoever holds it and never dispatched again."""
    case = await uow.cases.get(event.payload.order_id)
    if case is None:
        ignored("OrderCancelled", "unknown_order", order_id=event.payload.order_id)
        return
    released, withdrawn = case.cancel(utcnow())
    await release(uow, released)
    publish(uow, withdrawn, event, case)
    await uow.cases.save(case)


async def on_order_closed(event: Received[OrderClosed], uow: UnitOfWork) -> None:
    """An order that left the loop (served, duplicate, unassignable...) stops here too."""
    case = await uow.cases.get(event.payload.order_id)
    if case is None:
        return  # an order closed before dispatch ever saw it (a duplicate): nothing to stop
    released, withdrawn = case.close(utcnow())
    await release(uow, released)
    publish(uow, withdrawn, event, case)
    await uow.cases.save(case)


async def on_order_reopened(event: Received[OrderReopened], uow: UnitOfWork) -> None:
    """A follow-up sends a served order back: dispatch it afresh from its own level."""
    now = utcnow()
    case = await uow.cases.get(event.payload.order_id)
    if case is None or not case.reopen(now):
        ignored("OrderReopened", "not_served", order_id=event.payload.order_id)
        return
    publish(uow, await route(case, uow, now, RedispatchCause.REOPENED), event, case)
    await uow.cases.save(case)
