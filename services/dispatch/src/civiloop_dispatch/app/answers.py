"""Answers from the volunteers topic: accepts win, declines move on, completions free load."""

from __future__ import annotations

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import RedispatchCause
from civiloop_contracts.events.service import OrderAccepted, OrderDeclined, ServiceCompleted
from civiloop_dispatch.app.common import ignored, publish
from civiloop_dispatch.app.loads import add_load
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.app.routing import route
from civiloop_dispatch.domain.candidates import Kind, candidate_key
from civiloop_platform.messages import Received


async def on_order_accepted(event: Received[OrderAccepted], uow: UnitOfWork) -> None:
    """志愿者接单: the first accept wins; in grab mode the others are withdrawn."""
    p, now = event.payload, utcnow()
    case = await uow.cases.get(p.order_id)
    won = case.accept(p.assignment_id, p.accepted_by, p.team_id, now) if case else None
    if case is None or won is None:
        ignored("OrderAccepted", "not_in_force", order_id=p.order_id,
                assignment_id=p.assignment_id)
        return
    winner, withdrawn = won
    await add_load(uow, [winner], +1)
    candidate = await uow.candidates.get(winner)
    if candidate is not None:
        await uow.work.assigned(case.order_id, candidate, case.need.unit, now)
    publish(uow, withdrawn, event, case)
    await uow.cases.save(case)


async def on_order_declined(event: Received[OrderDeclined], uow: UnitOfWork) -> None:
    """A no counts against the decliner; with nobody left, the next candidate is tried."""
    p, now = event.payload, utcnow()
    case = await uow.cases.get(p.order_id)
    declined = case.decline(p.assignment_id, p.declined_by, now) if case else None
    if case is None or declined is None:
        ignored("OrderDeclined", "not_in_force", order_id=p.order_id,
                assignment_id=p.assignment_id)
        return
    who, nobody_left = declined
    await uow.candidates.change(who, declines=1)
    if nobody_left:
        publish(uow, await route(case, uow, now, RedispatchCause.DECLINED), event, case)
    await uow.cases.save(case)


async def on_service_completed(event: Received[ServiceCompleted], uow: UnitOfWork) -> None:
    """The service is done: free the load it held and book the hours for the fairness report."""
    p, now = event.payload, utcnow()
    case = await uow.cases.get(p.order_id)
    if case is None:
        ignored("ServiceCompleted", "unknown_order", order_id=p.order_id)
        return
    await add_load(uow, case.complete(now), -1)
    for line in p.hours:
        volunteer = await uow.candidates.get(candidate_key(Kind.VOLUNTEER, line.volunteer_id))
        if volunteer is not None:
            await uow.work.hours(case.order_id, volunteer, line.hours, case.need.unit, now)
    team = await uow.candidates.get(candidate_key(Kind.TEAM, p.team_id)) if p.team_id else None
    if team is not None:
        await uow.work.hours(case.order_id, team, sum(h.hours for h in p.hours),
                             case.need.unit, now)
    await uow.cases.save(case)
