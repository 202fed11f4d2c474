"""The service itself: check-in and check-out per volunteer, then completion.

Hours come from the moments a volunteer checks in on arrival and out on leaving, so travel
is never counted. Hours a volunteer did not check are claimed at completion and wait for
approval (see ledger); they cannot exceed the activity's length.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.service import (
    ServiceCheckedIn,
    ServiceCheckedOut,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.values import Id, UnitRef
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid

CLOCK_SKEW = timedelta(minutes=5)
LATE_REPORT = timedelta(hours=48)
"""A frontend offline for a while may report a moment late, but not days late."""
MAX_HOURS = 24.0


def hours_between(start: datetime, end: datetime) -> float:
    """Hours from ``start`` to ``end``, to the hundredth."""
    return round((end - start).total_seconds() / 3600, 2)


def check_moment(at: datetime, now: datetime) -> None:
    """Refuse a reported moment in the future or days in the past."""
    if at > now + CLOCK_SKEW:
        raise Invalid(f"at: {at.isoformat()} is in the future")
    if at < now - LATE_REPORT:
        raise Invalid(f"at: {at.isoformat()} is more than 48 h ago; record the hours instead")


class Attendance(BaseModel):
    """One volunteer's arrival and departure."""

    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime | None = None

    @property
    def hours(self) -> float | None:
        """Hours served, once checked out."""
        if self.checked_out_at is None:
            return None
        return hours_between(self.checked_in_at, self.checked_out_at)


class Service(BaseModel):
    """One accepted assignment being served: who serves, who checked in and out, the result."""

    assignment_id: Id
    order_id: Id
    team_id: Id | None = None
    leader_id: Id | None = None
    unit: UnitRef
    volunteer_ids: list[Id]
    activity_hours: float | None = None
    attendance: dict[str, Attendance] = Field(default_factory=dict)
    completed_at: AwareDatetime | None = None
    completed_by: Id | None = None
    people_served: int | None = None
    summary: str | None = None

    def _open(self) -> None:
        if self.completed_at is not None:
            raise Conflict(f"order {self.order_id} was completed already")

    def _serving(self, volunteer_id: str) -> None:
        if volunteer_id not in self.volunteer_ids:
            raise Forbidden(f"volunteer {volunteer_id} does not serve order {self.order_id}")

    def check_in(self, volunteer_id: str, at: datetime, now: datetime) -> ServiceCheckedIn:
        """Record the arrival of a volunteer who serves this order."""
        self._open()
        self._serving(volunteer_id)
        check_moment(at, now)
        if volunteer_id in self.attendance:
            raise Conflict(f"volunteer {volunteer_id} checked in to order {self.order_id} "
                           "already")
        self.attendance[volunteer_id] = Attendance(checked_in_at=at)
        return ServiceCheckedIn(order_id=self.order_id, volunteer_id=volunteer_id)

    def check_out(self, volunteer_id: str, at: datetime, now: datetime) -> ServiceCheckedOut:
        """Record the departure; the hours between are the volunteer's, final."""
        self._open()
        self._serving(volunteer_id)
        check_moment(at, now)
        seen = self.attendance.get(volunteer_id)
        if seen is None or seen.checked_out_at is not None:
            state = "never checked in" if seen is None else "checked out already"
            raise Conflict(f"volunteer {volunteer_id} {state} at order {self.order_id}")
        if at <= seen.checked_in_at or hours_between(seen.checked_in_at, at) > MAX_HOURS:
            raise Invalid(f"at: check-out must be within 24 h after check-in at "
                          f"{seen.checked_in_at.isoformat()}")
        self.attendance[volunteer_id] = seen.model_copy(update={"checked_out_at": at})
        return ServiceCheckedOut(order_id=self.order_id, volunteer_id=volunteer_id)

    def checked_hours(self) -> dict[str, float]:
        """Hours of every volunteer who checked in and out: final."""
        return {v: h for v, a in self.attendance.items() if (h := a.hours) is not None}

    def claim_limit(self) -> float:
        """The most hours anyone may claim for this service: the activity's length."""
        return min(self.activity_hours or MAX_HOURS, MAX_HOURS)

    def complete(self, by: str, people_served: int, summary: str | None,
                 claimed: dict[str, float], now: datetime) -> ServiceCompleted:
        """Close the service with everyone's hours; checked hours are final, claims wait."""
        self._open()
        for volunteer_id, attendance in self.attendance.items():
            if attendance.checked_out_at is None:
                raise Conflict(f"volunteer {volunteer_id} is still checked in at order "
                               f"{self.order_id}: check out first")
        checked = self.checked_hours()
        for volunteer_id, hours in claimed.items():
            self._serving(volunteer_id)
            if volunteer_id in checked:
                raise Conflict(f"volunteer {volunteer_id}'s hours come from check-in/out "
                               "and are final")
            within_limit(hours, self.claim_limit())
        lines = {**checked, **claimed}
        if not lines:
            raise Invalid("hours: give the hours of at least one volunteer who served")
        self.completed_at, self.completed_by = now, by
        self.people_served, self.summary = people_served, summary
        return ServiceCompleted(
            order_id=self.order_id, assignment_id=self.assignment_id, team_id=self.team_id,
            people_served=people_served, summary=summary, completed_by=by,
            hours=[VolunteerHours(volunteer_id=v, hours=h) for v, h in lines.items()])


def within_limit(hours: float, limit: float) -> None:
    """Refuse claimed hours over the activity's length (or nothing at all)."""
    if hours <= 0:
        raise Invalid("hours: must be more than 0")
    if hours > limit:
        raise Invalid(f"hours: {hours:g} h exceed the activity's length of {limit:g} h")
