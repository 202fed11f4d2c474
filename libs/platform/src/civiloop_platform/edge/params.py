"""Query parameter types every route shares: bounded paging and ISO 8601 instants.

Every number a caller sends has an upper bound (MongoDB keeps 64-bit integers; a page far past
the data costs a scan), and a date-time is ISO 8601 with an offset: pydantic alone would take
``0.5`` as epoch seconds, and a time without an offset means a different moment in every zone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 200
MAX_LIMIT = 500
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
"""Instants lie in [EARLIEST, LATEST): a year's arithmetic either side never overflows."""

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many items.")]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
                  r"(?P<offset>[Zz]|[+-]\d{2}(:?\d{2})?)?")


def iso_8601(value: Any) -> Any:
    """``value`` if it is an ISO 8601 date-time with an offset (or already a datetime)."""
    if isinstance(value, datetime):
        return value
    match = _ISO.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("is not an ISO 8601 date-time, e.g. 2026-12-01T09:30:00+08:00")
    if match["offset"] is None:
        raise ValueError("needs an offset (Z or +08:00): without one the moment is ambiguous")
    return value


def in_range(value: datetime) -> datetime:
    """``value`` if it lies in [EARLIEST, LATEST)."""
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"must lie from {EARLIEST:%Y-%m-%d} up to {LATEST:%Y-%m-%d}")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(iso_8601), AfterValidator(in_range)]
"""An ISO 8601 date-time with its offset (``2026-12-01T09:30:00+08:00`` or ``…Z``); no numbers."""
