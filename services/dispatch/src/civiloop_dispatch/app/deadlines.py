"""An accept deadline fires: the offer is withdrawn and the order goes to the next candidate."""

from __future__ import annotations

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import RedispatchCause
from civiloop_dispatch.app.common import ignored, publish
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.app.routing import route


async def on_deadline(uow: UnitOfWork, timer_id: str, order_id: str, owner: str) -> bool:
    """Fire one claimed timer, once: False when another replica fired it or the claim lapsed.

    An offer answered meanwhile makes the timer a no-op (it is fired, nothing changes).
    """
    now = utcnow()
    if not await uow.timers.mark(timer_id, owner, now):
        return False
    case = await uow.cases.get(order_id)
    withdrawn = case.expire(timer_id, now) if case else None
    if case is None or withdrawn is None:
        ignored("deadline", "answered", order_id=order_id, assignment_id=timer_id)
        return True
    publish(uow, [*withdrawn, *await route(case, uow, now, RedispatchCause.EXPIRED)], None, case)
    await uow.cases.save(case)
    return True
