"""Dispatchers' commands (部门派单员): dispatch by hand with a reason, take an order back."""

from __future__ import annotations

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role
from civiloop_dispatch.app.common import publish
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.errors import NotFound


async def _case(uow: UnitOfWork, order_id: str) -> Case:
    case = await uow.cases.get(order_id)
    if case is None:
        raise NotFound(f"order {order_id} is not known to dispatch")
    return case


async def dispatch_manually(uow: UnitOfWork, order_id: str, candidate_key: str, reason: str,
                            by: Role, by_id: str | None = None) -> Case:
    """Send the order to the chosen team or volunteer, overriding the matcher."""
    case = await _case(uow, order_id)
    candidate = await uow.candidates.get(candidate_key)
    if candidate is None:
        raise NotFound(f"{candidate_key.replace(':', ' ')} is not in the matching view")
    now = utcnow()
    events = case.dispatch_manually(candidate, reason, by, now,
                                    uow.policy.accept_minutes(case.need), dispatcher_id=by_id)
    await uow.candidates.put(candidate.model_copy(update={"last_assigned_at": now}))
    publish(uow, events, None, case)
    await uow.cases.save(case)
    return case


async def take_back(uow: UnitOfWork, order_id: str, reason: str) -> Case:
    """Withdraw the order from its assignees; it waits in the pool for a dispatcher."""
    case = await _case(uow, order_id)
    publish(uow, case.take_back(reason, utcnow()), None, case)
    await uow.cases.save(case)
    return case
