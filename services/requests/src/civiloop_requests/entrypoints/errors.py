"""Domain refusals as HTTP answers: each a 4xx whose message says what and why."""

from __future__ import annotations

from fastapi import Request, status
from fastapi.responses import JSONResponse

from civiloop_platform.edge.problems import domain_refusal
from civiloop_requests.domain.errors import (
    AlreadyAnswered,
    Conflict,
    DomainError,
    ImpossibleTransition,
    MisplacedUnit,
    NotAllowed,
    NotFound,
    UnknownActivity,
    UnknownOrder,
    UnknownSurvey,
)

_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (NotFound, status.HTTP_404_NOT_FOUND),
    (UnknownOrder, status.HTTP_404_NOT_FOUND),
    (UnknownSurvey, status.HTTP_404_NOT_FOUND),
    (UnknownActivity, status.HTTP_404_NOT_FOUND),
    (ImpossibleTransition, status.HTTP_409_CONFLICT),
    (AlreadyAnswered, status.HTTP_409_CONFLICT),
    (Conflict, status.HTTP_409_CONFLICT),
    (MisplacedUnit, status.HTTP_409_CONFLICT),
)


def status_of(exc: DomainError) -> int:
    """The HTTP status of a refusal; anything unlisted is bad input (422)."""
    return next((code for kind, code in _STATUS if isinstance(exc, kind)),
                status.HTTP_422_UNPROCESSABLE_CONTENT)


async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
    """The refusal with its status: a 422 names the field in the platform's problem shape."""
    return domain_refusal(request, status_of(exc), str(exc))
