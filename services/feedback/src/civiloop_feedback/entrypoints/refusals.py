"""Which kind of refusal each feedback domain error is, for the platform's use-case edge."""

from __future__ import annotations

from civiloop_feedback.domain.errors import (
    InvalidInput,
    NoRating,
    NotYours,
    Refused,
    UnknownActivity,
    UnknownFollowUp,
    UnknownOrder,
)
from civiloop_platform.edge.usecase import Kind, Refusals

REFUSALS: Refusals = {
    Refused: Kind.CONFLICT,  # the rating or follow-up's state forbids it now
    UnknownOrder: Kind.NOT_FOUND, NoRating: Kind.NOT_FOUND, UnknownFollowUp: Kind.NOT_FOUND,
    UnknownActivity: Kind.NOT_FOUND, NotYours: Kind.FORBIDDEN,
    InvalidInput: Kind.INVALID,  # the same as a body that fails validation
}
