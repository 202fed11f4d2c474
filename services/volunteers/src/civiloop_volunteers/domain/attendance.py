"""The hour rules (see docs/services/volunteers.md, "Hour rules"): when check-in/out hours are final.

Hours from an order are final only when the volunteer checked in after the accept (give or
take a few minutes of clock skew), checked out, and served no longer than the order's
window plus a margin. Anything else is still recorded, capped, but waits for a team leader
or the station to approve it, exactly as hours filled in afterwards do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel

from civiloop_volunteers.domain.errors import Invalid
from civiloop_volunteers.domain.ledger import DAY_HOURS, UNIT_HOURS, Source, Tally, ledger_hours

CLOCK_SKEW = timedelta(minutes=5)
"""How far a phone's clock may be off: a moment this much in the future, or this much before
the accept, is still believed."""
LATE_REPORT = timedelta(hours=48)
"""A frontend offline for a while may report a moment late, but not days late."""


def check_moment(at: datetime, now: datetime) -> None:
    """Refuse a reported moment in the future or days in the past."""
    if at > now + CLOCK_SKEW:
        raise Invalid(f"at: {at.isoformat()} is in the future")
    if at < now - LATE_REPORT:
        raise Invalid(f"at: {at.isoformat()} is more than 48 h ago; record the hours instead")


def _when(at: datetime) -> str:
    return at.isoformat(timespec="minutes")


class Attendance(BaseModel):
    """One volunteer's arrival and departure."""

    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime | None = None


def within_limit(hours: float, limit: float, what: str) -> None:
    """Refuse typed-in hours of nothing, or over ``limit`` (``what`` names the limit)."""
    if hours <= 0:
        raise Invalid("hours: must be more than 0")
    if hours > limit:
        raise Invalid(f"hours: {hours:g} h exceed {what}")


@dataclass(frozen=True)
class HourRules:
    """What one order allows: when each volunteer was put on it, and how long it may last."""

    window_hours: float | None
    """The length of the order's time window; None while the order is not known here."""
    margin_hours: float
    accepted_at: Mapping[str, datetime] = field(default_factory=dict)
    """When each volunteer was put on the order (their accept)."""

    @property
    def cap(self) -> float:
        """The most hours one volunteer gets from this order: window + margin, at most a day."""
        if self.window_hours is None:
            return DAY_HOURS
        return min(self.window_hours + self.margin_hours, DAY_HOURS)

    def _limit(self) -> str:
        if self.window_hours is None:
            return f"{DAY_HOURS:g} h (the order's window is not known here)"
        return (f"the order's window of {self.window_hours:g} h plus the "
                f"{self.margin_hours:g} h margin")

    def require_claimable(self, hours: float) -> None:
        """Refuse hours typed in at completion beyond what the order allows."""
        within_limit(hours, self.cap, self._limit())

    def judge(self, volunteer_id: str, seen: Attendance, completed_at: datetime) -> Tally:
        """The hours of one attendance: final within the rules, else capped and pending."""
        end = seen.checked_out_at or completed_at
        measured = ledger_hours(end - seen.checked_in_at)
        why = []
        if seen.checked_out_at is None:
            why.append(f"did not check out; counted to the completion at {_when(completed_at)}")
        accepted = self.accepted_at.get(volunteer_id)
        if accepted is None:
            why.append("no accept of this volunteer on record")
        elif seen.checked_in_at < accepted - CLOCK_SKEW:
            why.append(f"checked in at {_when(seen.checked_in_at)}, before the accept at "
                       f"{_when(accepted)}")
        if self.window_hours is None:
            why.append("the order's window is not known here")
        elif measured > self.cap:
            why.append(f"{measured:g} h exceed {self._limit()}; capped at {self.cap:g} h")
        return Tally(volunteer_id=volunteer_id, hours=max(min(measured, self.cap), UNIT_HOURS),
                     source=Source.CHECK_IN_OUT, review="; ".join(why) or None)
