"""Who sees which ratings: residents their own, volunteers theirs without the resident,
staff the units their scope covers (the district admin and services: everything)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from civiloop_contracts.values import Role
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Rating
from civiloop_platform.auth import Principal
from civiloop_platform.auth.scope import EVERYWHERE
from civiloop_platform.auth.scope import Scope as Units

SERVERS = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER})


class Visibility(StrEnum):
    """How much of a rating a reader sees."""

    FULL = "full"
    ANONYMOUS = "anonymous"  # everything but who the resident is
    NONE = "none"


class Scope(BaseModel):
    """Which records a reader may list: every set field must match, within ``units``."""

    resident_id: str | None = None
    volunteer_id: str | None = None
    units: Units = EVERYWHERE


def visibility(rating: Rating, reader: Rater) -> Visibility:
    """How much of ``rating`` ``reader`` may see."""
    if reader.role is Role.RESIDENT:
        return Visibility.FULL if rating.resident_id == reader.subject else Visibility.NONE
    if reader.role in SERVERS:
        return Visibility.ANONYMOUS if reader.subject in rating.volunteer_ids else Visibility.NONE
    return Visibility.FULL if reader.covers(rating.unit) else Visibility.NONE


def scope_of(reader: Principal) -> Scope:
    """The records ``reader`` may list; AccessDenied for staff whose token names no unit."""
    if reader.role is Role.RESIDENT:
        return Scope(resident_id=reader.subject)
    if reader.role in SERVERS:
        return Scope(volunteer_id=reader.subject)
    return Scope(units=reader.scope)
