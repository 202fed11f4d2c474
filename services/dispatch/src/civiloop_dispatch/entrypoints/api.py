"""The dispatcher console (部门派单员): queue, candidates, manual dispatch, take back, fairness."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import UnitLevel
from civiloop_dispatch.adapters import reports
from civiloop_dispatch.adapters.unit_of_work import DispatchUnitOfWork
from civiloop_dispatch.app import console
from civiloop_dispatch.app.routing import ranked_candidates
from civiloop_dispatch.domain.candidates import Kind, candidate_key
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.errors import NotFound
from civiloop_dispatch.domain.fairness import Spread
from civiloop_dispatch.entrypoints.access import Actor, Fairness, Queue, Reader, require_covers
from civiloop_dispatch.entrypoints.schemas import (
    CandidateView,
    CaseView,
    FairnessReport,
    ManualDispatch,
    TakeBack,
    WorkLine,
)
from civiloop_platform.auth import Principal
from civiloop_platform.edge.params import Instant, Limit
from civiloop_platform.edge.problems import invalid
from civiloop_platform.edge.usecase import run

router = APIRouter(prefix="/api/v1/dispatch", tags=["dispatch"])


async def _case_in_scope(uow: DispatchUnitOfWork, order_id: str, principal: Principal) -> Case:
    case = await uow.cases.get(order_id)
    if case is None:
        raise NotFound(f"order {order_id} is not known to dispatch")
    require_covers(principal, case.need.unit, order_id)
    return case


@router.get("/queue", summary="Orders waiting, offered or unassignable in the caller's units")
async def queue(request: Request, principal: Queue, level: UnitLevel | None = None,
                limit: Limit = 100) -> list[CaseView]:
    """The queue at ``level`` (all levels if unset), oldest change first."""
    cases = await reports.queue(request.app.state.runtime.database, level=level,
                                units=principal.scope, limit=limit)
    return [CaseView.of(c) for c in cases]


@router.get("/orders/{order_id}", summary="One order as dispatch sees it")
async def get_case(request: Request, order_id: str, principal: Reader) -> CaseView:
    """The order's status, level, offer in force and who serves it."""
    return CaseView.of(await run(request, lambda uow: _case_in_scope(uow, order_id, principal)))


@router.get("/orders/{order_id}/candidates", summary="Who could take the order, with scores")
async def candidates(request: Request, order_id: str, principal: Reader,
                     level: UnitLevel | None = None,
                     limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[CandidateView]:
    """Candidates at the order's level (or ``level``), best first, with each score's reasons.

    Those offered the order already are left out, as the matcher leaves them out.
    """
    async def work(uow: DispatchUnitOfWork) -> list[CandidateView]:
        case = await _case_in_scope(uow, order_id, principal)
        if level is not None:
            case = case.model_copy(update={"level": level})
        ranked = await ranked_candidates(case, uow, utcnow())
        return [CandidateView(kind=s.candidate.kind, id=s.candidate.ref, home=s.candidate.home,
                              load=s.candidate.load, score=s.score, reasons=s.reasons)
                for s in ranked[:limit]]

    return await run(request, work)


@router.post("/orders/{order_id}/dispatch", summary="Dispatch by hand, overriding the matcher")
async def dispatch(request: Request, order_id: str, body: ManualDispatch,
                   principal: Actor) -> CaseView:
    """Send the order to the chosen team or volunteer; the reason goes on the event."""
    async def work(uow: DispatchUnitOfWork) -> Case:
        await _case_in_scope(uow, order_id, principal)
        return await console.dispatch_manually(uow, order_id, candidate_key(body.kind, body.id),
                                               body.reason, principal.role, principal.subject)

    return CaseView.of(await run(request, work))


@router.post("/orders/{order_id}/take-back", summary="Take the order back to the pool")
async def take_back(request: Request, order_id: str, body: TakeBack,
                    principal: Actor) -> CaseView:
    """Withdraw the order from its assignees; it waits in the queue for a dispatcher."""
    async def work(uow: DispatchUnitOfWork) -> Case:
        await _case_in_scope(uow, order_id, principal)
        return await console.take_back(uow, order_id, body.reason)

    return CaseView.of(await run(request, work))


@router.get("/fairness", summary="Work per volunteer or team over a period, and its spread")
async def fairness(request: Request, principal: Fairness, kind: Kind = Kind.VOLUNTEER,
                   since: Instant | None = None, until: Instant | None = None,
                   top: Annotated[int, Query(ge=1, le=1000)] = 50) -> FairnessReport:
    """Assignments and hours per volunteer (or team) in [since, until); default: 30 days."""
    until = until or utcnow()
    since = since or until - timedelta(days=30)
    if since >= until:
        raise invalid(("query", "since"), "must be before until")
    scope, database = principal.scope, request.app.state.runtime.database
    rows = await reports.work_by_candidate(database, kind=kind, since=since, until=until,
                                           units=scope)
    population = await reports.registered(database, kind=kind, units=scope)
    return FairnessReport(
        kind=kind, since=since, until=until, registered=population, served=len(rows),
        assignments=Spread.of([float(r["assignments"]) for r in rows], population),
        hours=Spread.of([float(r["hours"]) for r in rows], population),
        lines=[WorkLine(id=r["_id"], assignments=r["assignments"], hours=r["hours"])
               for r in rows[:top]])

