"""The routing rules dispatch works by: tries per level, grab mode, deadlines and load caps."""

from __future__ import annotations

from dataclasses import dataclass, field

from civiloop_contracts.events.dispatch import AssignMode
from civiloop_dispatch.domain.candidates import Kind
from civiloop_dispatch.domain.need import Need


@dataclass(frozen=True)
class Policy:
    """Routing rules, set per deployment (see config.Settings for the variables)."""

    tries_per_level: int = 2
    grab_size: int = 3
    grab_categories: frozenset[str] = field(default_factory=frozenset)
    grab_stations: frozenset[str] = field(default_factory=frozenset)
    default_accept_min: int = 60
    volunteer_cap: int = 3
    team_cap: int = 2
    utc_offset_h: int = 8  # the district's local time (slots of availability are in it)
    candidate_limit: int = 100

    def mode_for(self, need: Need) -> AssignMode:
        """Grab (抢单) for the categories and stations configured so; directive otherwise."""
        if need.category in self.grab_categories or need.unit.station in self.grab_stations:
            return AssignMode.GRAB
        return AssignMode.DIRECTIVE

    def offer_size(self, mode: AssignMode) -> int:
        """How many candidates one dispatch goes to."""
        return self.grab_size if mode is AssignMode.GRAB else 1

    def cap_for(self, kind: Kind) -> int:
        """The load cap of a candidate that set none of its own."""
        return self.team_cap if kind is Kind.TEAM else self.volunteer_cap

    def accept_minutes(self, need: Need) -> int:
        """Minutes an assignee has to accept: the category's, else the default."""
        return need.accept_within_min or self.default_accept_min
