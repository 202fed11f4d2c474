"""Who may see which part of the tree, and reading a query's unit and dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import HTTPException, status

from civiloop_contracts.envelope import utcnow
from civiloop_platform.auth.tokens import Principal
from civiloop_platform.edge.params import EARLIEST, LATEST
from civiloop_stats.domain.periods import end_of, start_of
from civiloop_stats.domain.units import Tree, Unit


def home_unit(principal: Principal, tree: Tree) -> str:
    """The unit a caller sees when they name none: their station, institute, or centre."""
    own = principal.station or principal.institute or principal.centre
    if own:
        return own
    centres = sorted(u.code for u in tree.units.values() if u.parent is None)
    if not centres:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the units tree has no centre yet")
    return centres[0]


def visible_unit(principal: Principal, tree: Tree, code: str | None) -> Unit:
    """The unit ``code`` (or the caller's own); 404 if unknown, 403 outside the caller's part."""
    code = code or home_unit(principal, tree)
    unit = tree.units.get(code)
    if unit is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unit {code} is not in the units tree")
    if not sees(principal, tree, code):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"unit {code} is outside this caller's part of the tree")
    return unit


def sees(principal: Principal, tree: Tree, code: str) -> bool:
    """True when the unit ``code`` of the tree lies inside the caller's scope."""
    place = tree.place(code)
    return principal.scope.reaches(place.centre, place.institute, place.station)


def period_end(text: str | None, zone: ZoneInfo) -> datetime:
    """``as_of``: now when not given; a bare date means the last moment of that day."""
    return utcnow() if text is None else _moment(text, zone, end=True, field="as_of")


def period_start(text: str | None, zone: ZoneInfo) -> datetime | None:
    """``since``: none when not given; a bare date means the first moment of that day."""
    return None if text is None else _moment(text, zone, end=False, field="since")


def _moment(text: str, zone: ZoneInfo, *, end: bool, field: str) -> datetime:
    """A date or ISO date-time from 1900 up to 9999; a time without an offset is the
    district's; else 422."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = end_of(day, zone) if end else start_of(day, zone)
        else:
            parsed = datetime.fromisoformat(text)
            moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
        if EARLIEST <= moment < LATEST:
            return moment
    except (ValueError, OverflowError):  # 9999-12-31 ends past the last representable day
        pass
    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                        f"{field}: {text[:40]!r} is not a date (YYYY-MM-DD) or ISO date-time "
                        f"from {EARLIEST:%Y} up to {LATEST:%Y}")
