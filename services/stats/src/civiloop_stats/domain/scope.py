"""What a figure is asked about: a unit of the tree, optional platform and category, a period."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.facts import Place


@dataclass(frozen=True)
class Scope:
    """One unit (by level and code), optionally one platform / category, and a period.

    Flow figures count what happened in ``since`` <= time <= ``as_of`` (from the beginning
    when ``since`` is None); stock figures are taken at ``as_of``.
    """

    level: UnitLevel
    code: str
    as_of: datetime
    since: datetime | None = None
    platform: str | None = None
    category: str | None = None

    def covers(self, place: Place | None) -> bool:
        """True when ``place`` lies inside this scope's unit."""
        if place is None:
            return False
        if self.level is UnitLevel.STATION:
            return place.station == self.code
        if self.level is UnitLevel.INSTITUTE:
            return place.institute == self.code
        return place.centre == self.code

    def in_period(self, moment: datetime | None) -> bool:
        """True when ``moment`` falls inside the period."""
        if moment is None or moment > self.as_of:
            return False
        return self.since is None or moment >= self.since

    def narrowed(self, **changes: object) -> Scope:
        """The same scope with some fields changed (a child unit, a platform, a period)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def matches(self, platform: str | None, category: str | None) -> bool:
        """True when an order of ``platform`` / ``category`` passes the scope's filters."""
        return ((self.platform is None or platform == self.platform)
                and (self.category is None or category == self.category))
