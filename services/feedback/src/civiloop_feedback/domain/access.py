"""Who sees which ratings: residents their own, volunteers theirs without the resident,
station staff their station's, the centre everything."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from civiloop_contracts.values import Role
from civiloop_feedback.domain.rater import CENTRE, STAFF, Rater
from civiloop_feedback.domain.rating import Rating

SERVERS = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER})


class Visibility(StrEnum):
    """How much of a rating a reader sees."""

    FULL = "full"
    ANONYMOUS = "anonymous"  # everything but who the resident is
    NONE = "none"


class Scope(BaseModel):
    """Which records a reader may see: every set field must match (none set: everything)."""

    resident_id: str | None = None
    volunteer_id: str | None = None
    station: str | None = None
    institute: str | None = None


def visibility(rating: Rating, reader: Rater) -> Visibility:
    """How much of ``rating`` ``reader`` may see."""
    if reader.role in CENTRE:
        return Visibility.FULL
    if reader.role is Role.RESIDENT:
        return Visibility.FULL if rating.resident_id == reader.subject else Visibility.NONE
    if reader.role in SERVERS:
        return Visibility.ANONYMOUS if reader.subject in rating.volunteer_ids else Visibility.NONE
    if reader.role in STAFF and reader.covers(rating.unit):
        return Visibility.FULL
    return Visibility.NONE


def scope_of(reader: Rater) -> Scope | None:
    """The records ``reader`` may list (None: nothing at all); the centre sees everything."""
    if reader.role in CENTRE:
        return Scope()
    if reader.role is Role.RESIDENT:
        return Scope(resident_id=reader.subject)
    if reader.role in SERVERS:
        return Scope(volunteer_id=reader.subject)
    if reader.role in STAFF and (reader.station or reader.institute):
        return Scope(station=reader.station, institute=None if reader.station else reader.institute)
    return None
