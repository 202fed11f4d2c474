"""What every route shares: the caller, the unit of work, settings, and domain errors as HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import require_roles
from civiloop_platform.edge.problems import domain_refusal
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.domain.errors import DomainError

T = TypeVar("T")
Caller = Annotated[Principal, Depends(require_roles(
    Role.VOLUNTEER, Role.TEAM_LEADER, Role.STATION_OPERATOR, Role.DISPATCHER,
    Role.DISTRICT_ADMIN, Role.SERVICE))]
"""Anyone of the network but residents; each use case narrows it further."""


async def run(request: Request, work: Callable[[VolunteersUnitOfWork], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction of this service (its events join the outbox)."""
    uow: Any = request.app.state.runtime.unit_of_work()
    return await uow.run(work)  # type: ignore[no-any-return]


def thresholds(request: Request) -> tuple[float, ...]:
    """The configured star-level thresholds, in approved hours."""
    return tuple(request.app.state.runtime.settings.star_thresholds_h)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status if isinstance(exc, DomainError) else 500
    return domain_refusal(request, status, str(exc))


def add_error_handlers(app: FastAPI) -> None:
    """Answer a refused rule with its status (403, 404, 409, 422) and a message naming the thing."""
    app.add_exception_handler(DomainError, _domain_error)
