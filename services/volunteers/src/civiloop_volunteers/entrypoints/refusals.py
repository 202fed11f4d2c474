"""Which kind of refusal each volunteers domain error is, for the platform's use-case edge."""

from __future__ import annotations

from civiloop_platform.edge.usecase import Kind, Refusals
from civiloop_volunteers.domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

REFUSALS: Refusals = {DomainError: Kind.INVALID, Invalid: Kind.INVALID,
                      NotFound: Kind.NOT_FOUND, Forbidden: Kind.FORBIDDEN,
                      Conflict: Kind.CONFLICT}
