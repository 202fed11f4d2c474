"""The part of the network a caller acts for (centre ⊃ institute ⊃ station), as one value.

Data carries a full unit (centre, institute, station); a caller's scope names some of those
codes, and covers a unit when every code it names matches. Codes are unique in a district
(the stats units tree keys units by code), so a station claim alone identifies a station;
when a token names the institute or centre too, those must match as well.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from civiloop_contracts.values import UnitLevel, UnitRef

LEVELS = (UnitLevel.CENTRE, UnitLevel.INSTITUTE, UnitLevel.STATION)
"""Widest first."""


class AccessDenied(Exception):
    """The caller may not do this here; the message says who and why (HTTP 403)."""


@dataclass(frozen=True)
class Scope:
    """Everywhere (no code), one centre, institute or station, or nowhere (people's roles)."""

    centre: str | None = None
    institute: str | None = None
    station: str | None = None
    nowhere: bool = False

    def code(self, level: UnitLevel) -> str | None:
        """The code this scope names at ``level``, if any."""
        value: str | None = getattr(self, level.value)
        return value

    @property
    def level(self) -> UnitLevel | None:
        """The deepest level this scope names; None when it names none (everywhere)."""
        named = [level for level in LEVELS if self.code(level) is not None]
        return named[-1] if named else None

    @property
    def everywhere(self) -> bool:
        """True for the whole deployment (the district admin without a centre, services)."""
        return not self.nowhere and self.level is None

    def reaches(self, centre: str | None, institute: str | None = None,
                station: str | None = None) -> bool:
        """True when the unit with these codes lies inside this scope."""
        if self.nowhere:
            return False
        given = {UnitLevel.CENTRE: centre, UnitLevel.INSTITUTE: institute,
                 UnitLevel.STATION: station}
        return all(self.code(level) in (None, given[level]) for level in LEVELS)

    def covers(self, unit: UnitRef) -> bool:
        """True when ``unit`` lies inside this scope."""
        return self.reaches(unit.centre, unit.institute, unit.station)

    def require(self, unit: UnitRef, what: str) -> None:
        """AccessDenied naming ``what`` unless ``unit`` lies inside this scope."""
        if not self.covers(unit):
            where = unit.station or unit.institute or unit.centre
            raise AccessDenied(f"{what} belongs to {where}, outside this caller's unit")

    def narrowed(self, centre: str | None = None, institute: str | None = None,
                 station: str | None = None) -> Scope:
        """The part of the asked unit this caller reads (a listing's filter).

        Asking beside the caller's own unit (another station for a station caller, another
        institute for an institute caller) or wider than it (an institute for a station
        caller) is refused. Asking deeper (a station, for an institute caller) keeps the
        caller's own codes as well: a station outside its institute lists nothing.
        """
        if self.nowhere:
            raise AccessDenied("this caller lists no unit's records")
        asked = {UnitLevel.CENTRE: centre, UnitLevel.INSTITUTE: institute,
                 UnitLevel.STATION: station}
        for level, code in asked.items():
            own = self.code(level)
            if code is not None and own is not None and code != own:
                raise AccessDenied(f"{level.value} {code} is outside this caller's unit ({own})")
        deepest = [level for level in LEVELS if asked[level] is not None]
        if deepest:
            self.require_level(deepest[-1], asked[deepest[-1]] or "")
        return replace(self, centre=self.centre or centre, institute=self.institute or institute,
                       station=self.station or station)

    def require_level(self, level: UnitLevel, code: str = "") -> None:
        """AccessDenied unless this scope reaches a whole unit at ``level`` (not just part)."""
        own = self.level
        if self.nowhere or (own is not None and LEVELS.index(own) > LEVELS.index(level)):
            asked = f"{level.value} {code}".strip()
            raise AccessDenied(f"{asked} is wider than this caller's unit")

    def match(self, prefix: str = "unit") -> dict[str, Any]:
        """A MongoDB filter on ``<prefix>.centre/.institute/.station`` for this scope."""
        if self.nowhere:
            return {f"{prefix}.station": {"$in": []}}  # matches nothing
        return {f"{prefix}.{level.value}": code for level in LEVELS
                if (code := self.code(level)) is not None}


EVERYWHERE = Scope()
NOWHERE = Scope(nowhere=True)
