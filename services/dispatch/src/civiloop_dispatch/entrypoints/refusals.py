"""Which kind of refusal each dispatch domain error is, for the platform's use-case edge."""

from __future__ import annotations

from civiloop_dispatch.domain.errors import DispatchError, NotFound
from civiloop_platform.edge.usecase import Kind, Refusals

REFUSALS: Refusals = {NotFound: Kind.NOT_FOUND, DispatchError: Kind.CONFLICT}
