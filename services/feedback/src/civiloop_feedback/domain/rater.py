"""Who rates or reads, as the domain asks about them: a resident, station staff, a volunteer."""

from __future__ import annotations

from typing import Protocol

from civiloop_contracts.values import Role, UnitRef


class Rater(Protocol):
    """The person behind a command: role, subject id, and whether they act for a unit.

    The platform's ``Principal`` (a verified token) is one; whether a caller covers a unit is
    the platform's rule, so the domain asks it rather than restating it.
    """

    @property
    def subject(self) -> str:
        """The person's id (a resident, a volunteer, staff)."""
        ...

    @property
    def role(self) -> Role:
        """What they act as."""
        ...

    def covers(self, unit: UnitRef) -> bool:
        """True when they act for ``unit`` (station staff their station...)."""
        ...
