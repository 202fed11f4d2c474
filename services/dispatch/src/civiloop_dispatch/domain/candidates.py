"""The matching view: volunteers and teams as dispatch sees them, built from the volunteers topic."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.volunteers import WeeklySlot
from civiloop_contracts.values import Id, Platform, Specialty, TimeWindow, UnitCode, UnitRef


class Kind(StrEnum):
    """Who can be dispatched: a team (its leader answers) or one volunteer."""

    VOLUNTEER = "volunteer"
    TEAM = "team"


class Candidate(BaseModel):
    """One volunteer or team in the matching view, with its load and dispatch history."""

    ref: Id
    kind: Kind
    home: UnitRef
    covers: list[UnitCode] = Field(default_factory=list, description="Stations covered.")
    specialties: list[Specialty] = Field(default_factory=list)
    platforms: list[Platform] = Field(default_factory=list)
    availability: list[WeeklySlot] = Field(default_factory=list)
    max_load: int | None = None
    active: bool = True
    load: int = 0
    declines: int = 0
    last_assigned_at: AwareDatetime | None = None
    leader_id: Id | None = None
    # A random place in line, drawn anew at each offer: where the registry is too large to
    # score everyone, the matcher samples a window of spots, so work rotates.
    spot: float = Field(default_factory=random.random, ge=0, lt=1)

    @property
    def key(self) -> str:
        """The view's id: kinds have separate id spaces, so the kind is part of it."""
        return candidate_key(self.kind, self.ref)

    def cap(self, default: int) -> int:
        """Orders this candidate serves at once at most."""
        return self.max_load if self.max_load is not None else default

    def places(self) -> set[str]:
        """Unit tokens where this candidate serves: its home at every level, covered stations."""
        home = self.home
        tokens = {place_token(home.centre, None, None)}
        if home.institute is not None:
            tokens.add(place_token(home.centre, home.institute, None))
        if home.station is not None:
            tokens.add(place_token(home.centre, home.institute, home.station))
        # Station codes are unique in the district: a covered station needs no institute.
        tokens.update(place_token(home.centre, "-", station) for station in self.covers)
        return tokens

    def skills(self) -> set[str]:
        """Skill tokens: each specialty and each platform this candidate serves."""
        return {f"sp:{s.value}" for s in self.specialties} | {f"pf:{p.value}" for p in self.platforms}

    def match_keys(self) -> list[str]:
        """Index keys (kind, place, skill) under which the matcher finds this candidate.

        Empty when inactive: a paused volunteer or disbanded team is never found.
        """
        if not self.active:
            return []
        return sorted(f"{self.kind.value}|{place}|{skill}"
                      for place in self.places() for skill in self.skills())

    def available(self, window: TimeWindow, utc_offset_h: int) -> bool:
        """True when the window's start falls in one of the weekly slots (no slots: any time)."""
        if not self.availability:
            return True
        local = window.start.astimezone(timezone(timedelta(hours=utc_offset_h)))
        clock = local.strftime("%H:%M")  # slots are ISO weekdays with "HH:MM" bounds
        return any(slot.weekday == local.isoweekday() and slot.start <= clock < slot.end
                   for slot in self.availability)


def candidate_key(kind: Kind, ref: str) -> str:
    """The matching view's id of a volunteer or team."""
    return f"{kind.value}:{ref}"


def place_token(centre: str, institute: str | None, station: str | None) -> str:
    """The token of the deepest unit given: ``st:…``, ``in:…`` or ``ce:…``."""
    if station is not None:
        return f"st:{station}"
    if institute is not None:
        return f"in:{institute}"
    return f"ce:{centre}"


def days_since(moment: datetime | None, now: datetime) -> float | None:
    """Days from ``moment`` to ``now``, or None when there was no such moment."""
    return None if moment is None else max(0.0, (now - moment).total_seconds() / 86400)
