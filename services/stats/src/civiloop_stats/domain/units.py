"""The centre → institute → station tree (中心 → 所 → 站), with resident population over time.

The tree is requests' (UnitDefined events); the population figures are stats' own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.facts import Place


@dataclass(frozen=True)
class Population:
    """Residents of a unit from a date on (until a later figure replaces it)."""

    since: date
    residents: int


@dataclass(frozen=True)
class Unit:
    """One node of the tree: its code (as events carry it), name, level and parent."""

    code: str
    name: str
    level: UnitLevel
    parent: str | None = None
    name_en: str | None = None
    population: tuple[Population, ...] = ()

    def residents_at(self, moment: datetime) -> int | None:
        """The unit's own population figure in force at ``moment``, if it has one."""
        known = [p for p in self.population if p.since <= moment.date()]
        return max(known, key=lambda p: p.since).residents if known else None


@dataclass
class Tree:
    """All units by code."""

    units: dict[str, Unit] = field(default_factory=dict)

    def children(self, code: str) -> list[Unit]:
        """The units directly under ``code``, by code."""
        return sorted((u for u in self.units.values() if u.parent == code), key=lambda u: u.code)

    def place(self, code: str) -> Place:
        """The unit's codes at every level above and at it."""
        chain: dict[UnitLevel, str] = {}
        unit: Unit | None = self.units[code]
        while unit is not None:
            chain[unit.level] = unit.code
            unit = self.units.get(unit.parent) if unit.parent else None
        return Place(centre=chain.get(UnitLevel.CENTRE, ""),
                     institute=chain.get(UnitLevel.INSTITUTE),
                     station=chain.get(UnitLevel.STATION))

    def population(self, code: str, moment: datetime) -> int | None:
        """The unit's population at ``moment``: its own figure, else the sum of its children's."""
        own = self.units[code].residents_at(moment)
        if own is not None:
            return own
        parts = [self.population(child.code, moment) for child in self.children(code)]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None

    def within(self, code: str, ancestor: str) -> bool:
        """True when ``code`` is ``ancestor`` or lies under it."""
        unit: Unit | None = self.units.get(code)
        while unit is not None:
            if unit.code == ancestor:
                return True
            unit = self.units.get(unit.parent) if unit.parent else None
        return False
