"""Who rates or reads: a resident, station staff, a volunteer, or the centre."""

from __future__ import annotations

from civiloop_contracts.values import Role
from civiloop_platform.auth.tokens import Principal


class Rater(Principal):
    """The person behind a command: role, subject id and the unit they act for.

    Whether they cover a unit is the platform's rule (``Principal.covers``), as for tokens.
    """

    @property
    def records_for_resident(self) -> bool:
        """True when this person types in a resident's verbal rating (not the resident)."""
        return self.role is not Role.RESIDENT
