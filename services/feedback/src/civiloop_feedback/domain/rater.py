"""Who rates or reads: a resident, station staff, a volunteer, or the centre."""

from __future__ import annotations

from pydantic import BaseModel

from civiloop_contracts.values import Role, UnitRef

STAFF = frozenset({Role.STATION_OPERATOR, Role.DISPATCHER})
CENTRE = frozenset({Role.DISTRICT_ADMIN, Role.SERVICE})


class Rater(BaseModel):
    """The person behind a command: role, subject id and the unit they act for."""

    role: Role
    subject: str
    station: str | None = None
    institute: str | None = None

    def covers(self, unit: UnitRef) -> bool:
        """True when this person may act for ``unit`` (the same rule as bearer tokens)."""
        if self.role in CENTRE:
            return True
        if self.station is not None:
            return unit.station == self.station
        if self.institute is not None:
            return unit.institute == self.institute
        return False

    @property
    def records_for_resident(self) -> bool:
        """True when this person types in a resident's verbal rating (not the resident)."""
        return self.role is not Role.RESIDENT
