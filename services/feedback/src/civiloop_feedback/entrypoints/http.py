"""What every feedback route shares: the caller as a Rater, and running work with 4xx refusals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import HTTPException, Path, Request, status

from civiloop_feedback.adapters.documents import StaleDocument
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.domain.errors import (
    InvalidInput,
    NoRating,
    NotYours,
    Refused,
    UnknownActivity,
    UnknownFollowUp,
    UnknownOrder,
)
from civiloop_feedback.domain.rater import Rater
from civiloop_platform.auth import Principal

T = TypeVar("T")
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]

_STATUS: dict[type[Refused], int] = {
    UnknownOrder: status.HTTP_404_NOT_FOUND, NoRating: status.HTTP_404_NOT_FOUND,
    UnknownFollowUp: status.HTTP_404_NOT_FOUND, NotYours: status.HTTP_403_FORBIDDEN,
    UnknownActivity: status.HTTP_404_NOT_FOUND,
    InvalidInput: 422,  # the same as a body that fails validation
}


def rater_of(principal: Principal) -> Rater:
    """The caller of a request, as the domain sees people."""
    return Rater(**principal.model_dump())


def policy_of(request: Request) -> Policy:
    """The service's time rules (set at start from the settings)."""
    policy: Policy = request.app.state.policy
    return policy


def correlation_of(request: Request) -> str | None:
    """The request's correlation id, carried into the events it causes."""
    value: str | None = getattr(request.state, "correlation_id", None)
    return value


async def run(request: Request, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a refusal becomes its 4xx, a lost race a 409."""
    try:
        result: T = await request.app.state.runtime.unit_of_work().run(work)
    except Refused as exc:
        code = next((c for kind, c in _STATUS.items() if isinstance(exc, kind)),
                    status.HTTP_409_CONFLICT)
        raise HTTPException(code, str(exc)) from None
    except StaleDocument as exc:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            f"changed by someone else meanwhile; try again ({exc})") from None
    return result
