"""What an order needs from dispatch: taken from OrderPlaced, never asked of the requests service."""

from __future__ import annotations

from pydantic import BaseModel

from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.values import Platform, Specialty, TimeWindow, UnitLevel, UnitRef
from civiloop_dispatch.domain.candidates import Kind, place_token


class Need(BaseModel):
    """Where, what and when an order must be served, and by whom (a team or a volunteer)."""

    unit: UnitRef
    platform: Platform
    category: str
    specialty: Specialty | None = None
    group_activity: bool = False
    window: TimeWindow
    accept_within_min: int | None = None

    @classmethod
    def of(cls, placed: OrderPlaced) -> Need:
        """The need an OrderPlaced describes."""
        return cls(unit=placed.unit, platform=placed.platform, category=placed.category,
                   specialty=placed.specialty, group_activity=placed.group_activity,
                   window=placed.window, accept_within_min=placed.accept_within_min)

    @property
    def kind(self) -> Kind:
        """Group activities go to a team (its leader answers), the rest to one volunteer."""
        return Kind.TEAM if self.group_activity else Kind.VOLUNTEER

    def unit_at(self, level: UnitLevel) -> UnitRef:
        """The order's unit at ``level`` (its station, its institute or its centre)."""
        u = self.unit
        if level is UnitLevel.STATION:
            return u
        if level is UnitLevel.INSTITUTE and u.institute is not None:
            return UnitRef(centre=u.centre, institute=u.institute)
        return UnitRef(centre=u.centre)

    def start_level(self) -> UnitLevel:
        """The level dispatch starts at: the deepest unit the order names."""
        return self.unit.level

    def match_keys(self, level: UnitLevel) -> list[str]:
        """The matching view's keys of candidates fit for this need at ``level``."""
        at = self.unit_at(level)
        place = place_token(at.centre, at.institute, at.station)
        skills = [f"pf:{self.platform.value}"]
        if self.specialty is not None:
            skills.append(f"sp:{self.specialty.value}")
        return [f"{self.kind.value}|{place}|{skill}" for skill in skills]


LEVELS_UP = {UnitLevel.STATION: UnitLevel.INSTITUTE, UnitLevel.INSTITUTE: UnitLevel.CENTRE}
"""Escalation: station → institute → centre (站→所→中心); the centre has nowhere to go."""
