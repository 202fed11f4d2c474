"""The service itself: check-in and check-out per volunteer, then completion.

Hours come from the moments a volunteer checks in on arrival and out on leaving, so travel
is never counted. The completion judges them by the hour rules (see attendance): within
them they are final, outside them pending. Hours of a volunteer who did not check in are
typed in at completion and wait for approval too.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.service import (
    ServiceCheckedIn,
    ServiceCheckedOut,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.values import Id, UnitRef
from civiloop_volunteers.domain.attendance import Attendance, HourRules, check_moment
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid
from civiloop_volunteers.domain.ledger import Source, Tally


class Service(BaseModel):
    """One accepted assignment being served: who serves, who checked in and out, the result."""

    assignment_id: Id
    order_id: Id
    team_id: Id | None = None
    leader_id: Id | None = None
    unit: UnitRef
    volunteer_ids: list[Id]
    activity_hours: float | None = None
    """The order's window length as known at the accept (the order view is read first)."""
    attendance: dict[str, Attendance] = Field(default_factory=dict)
    completed_at: AwareDatetime | None = None
    completed_by: Id | None = None
    people_served: int | None = None
    summary: str | None = None
    hours: list[Tally] = Field(default_factory=list)
    """Everyone's hours as the completion decided them."""

    def require_open(self) -> None:
        """Conflict once the service is completed: every later step is a repeat."""
        if self.completed_at is not None:
            raise Conflict(f"order {self.order_id} was completed already at "
                           f"{self.completed_at.isoformat(timespec='seconds')}")

    def _serving(self, volunteer_id: str) -> None:
        if volunteer_id not in self.volunteer_ids:
            raise Forbidden(f"volunteer {volunteer_id} does not serve order {self.order_id}")

    def check_in(self, volunteer_id: str, at: datetime, now: datetime) -> ServiceCheckedIn:
        """Record the arrival of a volunteer who serves this order (once)."""
        self.require_open()
        self._serving(volunteer_id)
        check_moment(at, now)
        if volunteer_id in self.attendance:
            raise Conflict(f"volunteer {volunteer_id} checked in to order {self.order_id} "
                           "already")
        self.attendance[volunteer_id] = Attendance(checked_in_at=at)
        return ServiceCheckedIn(order_id=self.order_id, volunteer_id=volunteer_id)

    def check_out(self, volunteer_id: str, at: datetime, now: datetime) -> ServiceCheckedOut:
        """Record the departure, after the arrival; the completion judges the hours between."""
        self.require_open()
        self._serving(volunteer_id)
        check_moment(at, now)
        seen = self.attendance.get(volunteer_id)
        if seen is None or seen.checked_out_at is not None:
            state = "never checked in" if seen is None else "checked out already"
            raise Conflict(f"volunteer {volunteer_id} {state} at order {self.order_id}")
        if at <= seen.checked_in_at:
            raise Invalid(f"at: check-out must be after the check-in at "
                          f"{seen.checked_in_at.isoformat()}")
        self.attendance[volunteer_id] = seen.model_copy(update={"checked_out_at": at})
        return ServiceCheckedOut(order_id=self.order_id, volunteer_id=volunteer_id)

    def complete(self, by: str, people_served: int, summary: str | None,
                 claimed: dict[str, float], now: datetime, rules: HourRules) -> ServiceCompleted:
        """Close the service with everyone's hours: judged by ``rules``, typed-in ones pending.

        A volunteer still checked in does not hold the order up: their hours run to now and
        wait for approval, unless the completer types in theirs.
        """
        self.require_open()
        for volunteer_id, hours in claimed.items():
            self._serving(volunteer_id)
            seen = self.attendance.get(volunteer_id)
            if seen is not None and seen.checked_out_at is not None:
                raise Conflict(f"volunteer {volunteer_id}'s hours come from their check-in "
                               "and check-out")
            rules.require_claimable(hours)
        tallies = [rules.judge(v, seen, now) for v, seen in self.attendance.items()
                   if v not in claimed]
        tallies += [Tally(volunteer_id=v, hours=h, source=Source.BACKFILL,
                          review=f"typed in at completion by {by}") for v, h in claimed.items()]
        if not tallies:
            raise Invalid("hours: give the hours of at least one volunteer who served")
        self.completed_at, self.completed_by, self.hours = now, by, tallies
        self.people_served, self.summary = people_served, summary
        return ServiceCompleted(
            order_id=self.order_id, assignment_id=self.assignment_id, team_id=self.team_id,
            people_served=people_served, summary=summary, completed_by=by,
            hours=[VolunteerHours(volunteer_id=t.volunteer_id, hours=t.hours) for t in tallies])
