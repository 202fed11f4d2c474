"""Which kind of refusal each requests domain error is, for the platform's use-case edge.

Anything the table does not name more closely is bad input (422, located at its field)."""

from __future__ import annotations

from civiloop_platform.edge.usecase import Kind, Refusals
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

REFUSALS: Refusals = {
    DomainError: Kind.INVALID,
    NotAllowed: Kind.FORBIDDEN,
    NotFound: Kind.NOT_FOUND, UnknownOrder: Kind.NOT_FOUND, UnknownSurvey: Kind.NOT_FOUND,
    UnknownActivity: Kind.NOT_FOUND,
    ImpossibleTransition: Kind.CONFLICT, AlreadyAnswered: Kind.CONFLICT, Conflict: Kind.CONFLICT,
    MisplacedUnit: Kind.CONFLICT,
}
