"""What every route shares: the caller allowed by a policy, the unit of work, settings, and
domain errors as HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.problems import domain_refusal
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.domain.errors import DomainError

T = TypeVar("T")
Registrar = Annotated[Principal, Depends(policy("volunteers.register"))]
Reader = Annotated[Principal, Depends(policy("volunteers.read"))]
Editor = Annotated[Principal, Depends(policy("volunteers.edit"))]
Owner = Annotated[Principal, Depends(policy("volunteers.record"))]
TeamFounder = Annotated[Principal, Depends(policy("teams.register"))]
TeamReader = Annotated[Principal, Depends(policy("teams.read"))]
TeamEditor = Annotated[Principal, Depends(policy("teams.edit"))]
OrgFounder = Annotated[Principal, Depends(policy("organisations.register"))]
Importer = Annotated[Principal, Depends(policy("imports.start"))]
ImportReader = Annotated[Principal, Depends(policy("imports.read"))]
OfferReader = Annotated[Principal, Depends(policy("offers.mine"))]
Answerer = Annotated[Principal, Depends(policy("offers.answer"))]
Server = Annotated[Principal, Depends(policy("service.serve"))]
Claimer = Annotated[Principal, Depends(policy("hours.claim"))]
Approver = Annotated[Principal, Depends(policy("hours.decide"))]
Recorder = Annotated[Principal, Depends(policy("hours.sheets"))]
Totals = Annotated[Principal, Depends(policy("hours.totals"))]
UnitLister = Annotated[Principal, Depends(policy("volunteers.list"))]
HonoursAdmin = Annotated[Principal, Depends(policy("honours.manage"))]
PUBLIC_BOARD = [Depends(policy("honours.board"))]


async def run(request: Request, work: Callable[[VolunteersUnitOfWork], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction of this service (its events join the outbox)."""
    uow: Any = request.app.state.runtime.unit_of_work()
    return await uow.run(work)  # type: ignore[no-any-return]


def thresholds(request: Request) -> tuple[float, ...]:
    """The configured star-level thresholds, in approved hours."""
    return tuple(request.app.state.runtime.settings.star_thresholds_h)


def margin(request: Request) -> float:
    """The configured margin, in hours, a service may run past its order's window."""
    return float(request.app.state.runtime.settings.hours_margin_h)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status if isinstance(exc, DomainError) else 500
    return domain_refusal(request, status, str(exc))


def add_error_handlers(app: FastAPI) -> None:
    """Answer a refused rule with its status (403, 404, 409, 422) and a message naming the thing."""
    app.add_exception_handler(DomainError, _domain_error)
