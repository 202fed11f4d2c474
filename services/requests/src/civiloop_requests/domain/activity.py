"""Activities (文明实践活动): planned by a unit, signed up for, attended, held; one document each.

A resident signs up as a participant (up to the capacity) and may cancel before the start;
a volunteer signs up as staff. At the activity residents check in with the code the
organiser shows (or the organiser ticks them on the list) and staff check in and out; the
organiser then closes the attendance, which approves it: ActivityHeld carries the
head-count served and the staff's times, from which the volunteers service counts hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from civiloop_contracts.events.activities import (
    ActivityCancelled,
    ActivityHeld,
    ActivityPlanned,
    ActivityPublished,
    ActivitySignedUp,
    ActivitySignUpCancelled,
    SignUpRole,
    StaffAttendance,
)
from civiloop_contracts.values import (
    Audience,
    Category,
    Id,
    Platform,
    ShortText,
    TimeWindow,
    UnitRef,
)
from civiloop_requests.domain.errors import Conflict, DomainError

DOORS_OPEN = timedelta(hours=1)
"""Check-in opens this long before the start and closes this long after the end."""


class ActivityState(StrEnum):
    """Where an activity stands."""

    PLANNED = "planned"  # being prepared; nobody can sign up yet
    PUBLISHED = "published"  # open for sign-up and, at its time, for check-in
    HELD = "held"  # attendance closed and approved
    CANCELLED = "cancelled"


class SignUp(BaseModel):
    """One person's sign-up, and their attendance once taken."""

    person_id: Id
    at: AwareDatetime
    checked_in_at: AwareDatetime | None = None
    checked_out_at: AwareDatetime | None = None


class Draft(BaseModel):
    """What an organiser fills in to plan an activity (the platform comes from the menu)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "unit": {"centre": "kunqu", "institute": "kunhe", "station": "wanhe-yangguang"},
        "category": "free_clinic", "title": "端午义诊进社区", "venue": "万和阳光社区文化广场",
        "window": {"start": "2026-12-05T09:00:00+08:00", "end": "2026-12-05T11:30:00+08:00"},
        "capacity": 120, "staff_wanted": 6}]})

    unit: UnitRef = Field(description="The station, institute or centre organising it.")
    category: Category = Field(description="A group-activity category of the menu.")
    title: ShortText
    venue: ShortText
    window: TimeWindow
    capacity: Audience = Field(description="How many residents may sign up.")
    organiser_team_id: Id | None = None
    staff_wanted: int = Field(default=0, ge=0, le=500)


class Plan(Draft):
    """The activity as planned: the draft, its platform, and the survey it answers."""

    platform: Platform
    survey_id: Id | None = None


class Activity(BaseModel):
    """An activity and everyone signed up for it."""

    activity_id: Id
    plan: Plan
    state: ActivityState = ActivityState.PLANNED
    planned_by: Id
    check_in_code: str | None = None
    # Lists, not maps keyed by person: an id may hold a dot, which MongoDB keys must not.
    participants: list[SignUp] = Field(default_factory=list)
    staff: list[SignUp] = Field(default_factory=list)
    walk_ins: int = 0
    held_by: Id | None = None

    @classmethod
    def planned(cls, activity_id: str, plan: Plan, by: str) -> tuple[Activity, ActivityPlanned]:
        """A new activity in the plan, and the ActivityPlanned that announces it."""
        activity = cls(activity_id=activity_id, plan=plan, planned_by=by)
        return activity, ActivityPlanned(activity_id=activity_id, **plan.model_dump())

    @property
    def attended(self) -> int:
        """Residents checked in (by code or on the list)."""
        return sum(1 for s in self.participants if s.checked_in_at is not None)

    def _require(self, *states: ActivityState, to: str) -> None:
        if self.state not in states:
            raise Conflict(f"activity {self.activity_id} is {self.state.value}: cannot {to}")

    def publish(self, code: str) -> ActivityPublished:
        """Open sign-up; ``code`` is what residents type to check in at the activity."""
        self._require(ActivityState.PLANNED, to="publish")
        self.state, self.check_in_code = ActivityState.PUBLISHED, code
        return ActivityPublished(activity_id=self.activity_id, unit=self.plan.unit)

    def cancel(self, note: str | None) -> ActivityCancelled:
        """Call the activity off before it is held."""
        self._require(ActivityState.PLANNED, ActivityState.PUBLISHED, to="cancel")
        self.state = ActivityState.CANCELLED
        return ActivityCancelled(activity_id=self.activity_id, unit=self.plan.unit, note=note)

    def _book(self, role: SignUpRole) -> list[SignUp]:
        return self.participants if role is SignUpRole.PARTICIPANT else self.staff

    def signed_up(self, person_id: str, role: SignUpRole) -> SignUp | None:
        """The person's sign-up in ``role``, or None."""
        return next((s for s in self._book(role) if s.person_id == person_id), None)

    def sign_up(self, person_id: str, role: SignUpRole, at: datetime) -> ActivitySignedUp | None:
        """Sign ``person_id`` up (None if they were already); refused when full or over."""
        self._require(ActivityState.PUBLISHED, to="sign up")
        book = self._book(role)
        if self.signed_up(person_id, role) is not None:
            return None
        if at >= self.plan.window.end:
            raise Conflict(f"activity {self.activity_id} is over")
        if role is SignUpRole.PARTICIPANT and len(book) >= self.plan.capacity:
            raise Conflict(f"activity {self.activity_id} is full ({self.plan.capacity} places)")
        book.append(SignUp(person_id=person_id, at=at))
        return ActivitySignedUp(activity_id=self.activity_id, person_id=person_id, role=role)

    def cancel_sign_up(self, person_id: str, role: SignUpRole,
                       at: datetime) -> ActivitySignUpCancelled:
        """Withdraw a sign-up before the activity begins."""
        self._require(ActivityState.PUBLISHED, to="cancel a sign-up")
        mine = self.signed_up(person_id, role)
        if mine is None:
            raise Conflict(f"{person_id} is not signed up for {self.activity_id}")
        if at >= self.plan.window.start:
            raise Conflict(f"activity {self.activity_id} has begun: sign-ups stand")
        self._book(role).remove(mine)
        return ActivitySignUpCancelled(activity_id=self.activity_id, person_id=person_id,
                                       role=role)

    def _doors(self, at: datetime) -> None:
        """Refuse a check-in or -out outside the activity's time (give or take an hour)."""
        self._require(ActivityState.PUBLISHED, to="take attendance")
        window = self.plan.window
        if not window.start - DOORS_OPEN <= at <= window.end + DOORS_OPEN:
            raise Conflict(f"activity {self.activity_id} checks in from "
                           f"{(window.start - DOORS_OPEN).isoformat()} to "
                           f"{(window.end + DOORS_OPEN).isoformat()}")

    def check_in(self, person_id: str, role: SignUpRole, at: datetime,
                 code: str | None = None) -> ActivitySignedUp | None:
        """A resident checks in with the code (signing up on the spot if there is room);
        staff check in by who they are. Returns the on-the-spot sign-up, if any."""
        self._doors(at)
        if role is SignUpRole.PARTICIPANT and code != self.check_in_code:
            raise DomainError("code: not this activity's check-in code")
        if role is SignUpRole.STAFF and self.signed_up(person_id, role) is None:
            raise Conflict(f"volunteer {person_id} is not staff of {self.activity_id}")
        joined = self.sign_up(person_id, role, at)
        seen = self.signed_up(person_id, role)
        assert seen is not None  # signed up before, or just now
        seen.checked_in_at = seen.checked_in_at or at
        return joined

    def check_out(self, volunteer_id: str, at: datetime) -> None:
        """A staff member leaves: their hours run from check-in to here."""
        self._doors(at)
        seen = self.signed_up(volunteer_id, SignUpRole.STAFF)
        if seen is None or seen.checked_in_at is None:
            raise Conflict(f"volunteer {volunteer_id} has not checked in to {self.activity_id}")
        if at <= seen.checked_in_at:
            raise DomainError("at: a check-out comes after the check-in")
        seen.checked_out_at = at

    def tick(self, attended: list[str], walk_ins: int, at: datetime) -> None:
        """The organiser's list: these signed-up residents came, and ``walk_ins`` more."""
        self._doors(at)
        listed = set(attended)
        unknown = listed - {s.person_id for s in self.participants}
        if unknown:
            raise DomainError(f"attended: not signed up: {', '.join(sorted(unknown)[:5])}")
        for seen in self.participants:
            if seen.person_id in listed:
                seen.checked_in_at = seen.checked_in_at or at
        self.walk_ins = walk_ins

    def hold(self, by: str, at: datetime) -> ActivityHeld:
        """Close and approve the attendance: the head-count and the staff's times."""
        self._require(ActivityState.PUBLISHED, to="close the attendance")
        if at < self.plan.window.start:
            raise Conflict(f"activity {self.activity_id} has not begun")
        self.state, self.held_by = ActivityState.HELD, by
        staff = [StaffAttendance(volunteer_id=s.person_id, signed_up_at=s.at,
                                 checked_in_at=s.checked_in_at, checked_out_at=s.checked_out_at)
                 for s in self.staff if s.checked_in_at is not None]
        p = self.plan
        return ActivityHeld(
            activity_id=self.activity_id, unit=p.unit, platform=p.platform, category=p.category,
            title=p.title, window=p.window, served=self.attended + self.walk_ins,
            walk_ins=self.walk_ins, signed_up=len(self.participants),
            organiser_team_id=p.organiser_team_id, staff=staff, approved_by=by,
            attendees=[s.person_id for s in self.participants if s.checked_in_at is not None])
