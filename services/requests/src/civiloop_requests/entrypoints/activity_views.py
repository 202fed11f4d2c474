"""What the activities API returns: the public notice, and the organiser's attendance sheet."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from civiloop_contracts.events.activities import SignUpRole
from civiloop_contracts.values import Platform, TimeWindow, UnitRef
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.domain.activity import Activity, ActivityState, SignUp


class Mine(BaseModel):
    """The caller's own sign-ups: as a participant, as staff, and whether checked in (and,
    as staff, out)."""

    participant: bool
    staff: bool
    checked_in: bool
    checked_out: bool = False


class ActivityView(BaseModel):
    """An activity as everyone may see it (no names, no check-in code)."""

    activity_id: str
    unit: UnitRef
    platform: Platform
    category: str
    title: str
    venue: str
    window: TimeWindow
    capacity: int
    places_left: int
    signed_up: int
    staff_signed_up: int
    staff_wanted: int
    organiser_team_id: str | None
    survey_id: str | None
    state: ActivityState
    served: int | None = None
    """The head-count served, once held."""
    mine: Mine

    @classmethod
    def of(cls, activity: Activity, caller: Principal) -> ActivityView:
        """``activity`` as ``caller`` sees it."""
        p = activity.plan
        part = activity.signed_up(caller.subject, SignUpRole.PARTICIPANT)
        staff = activity.signed_up(caller.subject, SignUpRole.STAFF)
        checked = any(s is not None and s.checked_in_at is not None for s in (part, staff))
        return cls(
            activity_id=activity.activity_id, unit=p.unit, platform=p.platform,
            category=p.category, title=p.title, venue=p.venue, window=p.window,
            capacity=p.capacity, places_left=max(p.capacity - len(activity.participants), 0),
            signed_up=len(activity.participants), staff_signed_up=len(activity.staff),
            staff_wanted=p.staff_wanted, organiser_team_id=p.organiser_team_id,
            survey_id=p.survey_id, state=activity.state,
            served=activity.attended + activity.walk_ins
            if activity.state is ActivityState.HELD else None,
            mine=Mine(participant=part is not None, staff=staff is not None, checked_in=checked,
                      checked_out=staff is not None and staff.checked_out_at is not None))


class Attendee(BaseModel):
    """One sign-up on the organiser's sheet (ids only: names stay where people registered)."""

    person_id: str
    signed_up_at: datetime
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @classmethod
    def of(cls, s: SignUp) -> Attendee:
        """The sheet's line for ``s``."""
        return cls(person_id=s.person_id, signed_up_at=s.at, checked_in_at=s.checked_in_at,
                   checked_out_at=s.checked_out_at)


class AttendanceSheet(BaseModel):
    """The organiser's view: the check-in code, who signed up, who came."""

    activity: ActivityView
    check_in_code: str | None
    participants: list[Attendee]
    staff: list[Attendee]
    attended: int
    walk_ins: int
    served: int

    @classmethod
    def of(cls, activity: Activity, caller: Principal) -> AttendanceSheet:
        """The sheet of ``activity``."""
        return cls(activity=ActivityView.of(activity, caller),
                   check_in_code=activity.check_in_code,
                   participants=[Attendee.of(s) for s in activity.participants],
                   staff=[Attendee.of(s) for s in activity.staff],
                   attended=activity.attended, walk_ins=activity.walk_ins,
                   served=activity.attended + activity.walk_ins)
