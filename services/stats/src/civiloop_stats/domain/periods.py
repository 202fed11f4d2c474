"""Calendar periods (day, month, year) in the district's time zone, for trends and dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

LAST_MOMENT = timedelta(milliseconds=1)  # read models keep milliseconds
MAX_BUCKETS = 400


class Grain(StrEnum):
    """How a trend is cut."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def start_of(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of ``day`` in ``zone``."""
    return datetime.combine(day, time(), zone)


def end_of(day: date, zone: ZoneInfo) -> datetime:
    """The last moment (to the millisecond) of ``day`` in ``zone``."""
    return start_of(day + timedelta(days=1), zone) - LAST_MOMENT


def bucket_start(moment: datetime, grain: Grain, zone: ZoneInfo) -> date:
    """The first day of the bucket holding ``moment``."""
    day = moment.astimezone(zone).date()
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1) if grain is Grain.YEAR else day


def next_bucket(start: date, grain: Grain) -> date:
    """The first day of the bucket after the one starting on ``start``."""
    if grain is Grain.DAY:
        return start + timedelta(days=1)
    if grain is Grain.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def buckets(since: datetime, until: datetime, grain: Grain,
            zone: ZoneInfo) -> list[tuple[str, datetime, datetime]]:
    """(label, first moment, last moment) of every bucket from ``since`` to ``until``."""
    out: list[tuple[str, datetime, datetime]] = []
    start = bucket_start(since, grain, zone)
    while start_of(start, zone) <= until and len(out) < MAX_BUCKETS:
        after = next_bucket(start, grain)
        label = {Grain.DAY: start.isoformat(), Grain.MONTH: start.isoformat()[:7],
                 Grain.YEAR: str(start.year)}[grain]
        out.append((label, max(start_of(start, zone), since),
                    min(start_of(after, zone) - LAST_MOMENT, until)))
        start = after
    return out
