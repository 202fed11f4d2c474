"""Builders for dispatch tests: a district of its own per test, volunteers, teams and orders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.events.volunteers import TeamRegistered, VolunteerRegistered, WeeklySlot
from civiloop_contracts.values import Platform, Specialty, TimeWindow, UnitRef

# A Saturday morning in the district (UTC+8): 2025-05-10 09:00 local.
T0 = datetime(2025, 5, 10, 1, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    """A moment ``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


@dataclass(frozen=True)
class District:
    """Unique unit codes, so tests sharing a database and topics never meet."""

    tag: str

    @classmethod
    def new(cls) -> District:
        """A district no other test uses."""
        return cls(uuid.uuid4().hex[:8])

    @property
    def centre(self) -> UnitRef:
        """The district's centre (中心)."""
        return UnitRef(centre=f"c-{self.tag}")

    def institute(self, name: str = "i1") -> UnitRef:
        """An institute (所) of the district."""
        return UnitRef(centre=f"c-{self.tag}", institute=f"{name}-{self.tag}")

    def station(self, name: str = "s1", institute: str = "i1") -> UnitRef:
        """A station (站) of an institute."""
        return UnitRef(centre=f"c-{self.tag}", institute=f"{institute}-{self.tag}",
                       station=f"{name}-{self.tag}")

    def id(self, name: str) -> str:
        """An entity id unique to this district."""
        return f"{name}-{self.tag}"


def volunteer(ref: str, unit: UnitRef, *, specialties: list[Specialty] | None = None,
              platforms: list[Platform] | None = None, **changes: Any) -> VolunteerRegistered:
    """A volunteer registration (medicine and science by default)."""
    return VolunteerRegistered(
        volunteer_id=ref, display_name="李*", unit=unit,
        specialties=specialties if specialties is not None else [Specialty.MEDICINE_HEALTH],
        platforms=platforms if platforms is not None else [Platform.SCIENCE], **changes)


def team(ref: str, unit: UnitRef, *, leader: str, specialty: Specialty = Specialty.CULTURE_SPORT,
         platform: Platform = Platform.CULTURE, **changes: Any) -> TeamRegistered:
    """A team registration (culture and sport performances by default)."""
    return TeamRegistered(team_id=ref, name="文体志愿服务队", specialty=specialty,
                          platform=platform, unit=unit, leader_id=leader, member_ids=[leader],
                          **changes)


def order(order_id: str, unit: UnitRef, *, specialty: Specialty | None = Specialty.MEDICINE_HEALTH,
          platform: Platform = Platform.SCIENCE, category: str = "home_health_check",
          group: bool = False, accept_within_min: int = 30, **changes: Any) -> OrderPlaced:
    """A placed order for Saturday morning (a home health check by default)."""
    return OrderPlaced(
        order_id=order_id, unit=unit, platform=platform, category=category,
        need="老人需要上门量血压", place="3号楼", channel=Channel.WECHAT,
        window=TimeWindow(start=T0, end=at(120)), specialty=specialty, group_activity=group,
        accept_within_min=accept_within_min, **changes)


SATURDAY_MORNING = WeeklySlot(weekday=6, start="08:00", end="12:00")  # ISO weekday 6
MONDAY_EVENING = WeeklySlot(weekday=1, start="18:00", end="21:00")
