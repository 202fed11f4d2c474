"""Activities (文明实践活动) as the requests service records them on ``requests.events.v1``.

An activity is a group service a station, institute or the centre plans for many people (a
lecture, a free clinic, a performance): planned, published, signed up for by residents and
by volunteers as staff, held with attendance taken. All keyed by activity id, so one
activity's events stay in order. Residents appear by their pseudonymous ids only; the
volunteers service turns ActivityHeld's staff attendance into hours by its hour rules.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from civiloop_contracts.masking import FreeText
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import REQUESTS
from civiloop_contracts.values import (
    Audience,
    Category,
    Id,
    Platform,
    ShortText,
    TimeWindow,
    UnitRef,
    Value,
)


class ActivityPlanned(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """A unit plans an activity: what, where, when, for how many, and who organises it."""

    activity_id: Id
    unit: UnitRef = Field(description="The station, institute or centre that organises it.")
    platform: Platform
    category: Category
    title: ShortText
    venue: ShortText
    window: TimeWindow
    capacity: Audience = Field(description="How many residents may sign up.")
    organiser_team_id: Id | None = Field(default=None, description="The volunteer team "
                                         "organising it, if one does.")
    staff_wanted: int = Field(default=0, ge=0, le=500, description="Volunteers wanted as staff.")
    survey_id: Id | None = Field(default=None, description="The needs survey it answers.")


class ActivityPublished(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """The activity is open for residents and volunteers to sign up."""

    activity_id: Id
    unit: UnitRef


class SignUpRole(StrEnum):
    """Who signs up: a resident to take part, or a volunteer to serve as staff."""

    PARTICIPANT = "participant"
    STAFF = "staff"


class ActivitySignedUp(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """A resident (participant) or a volunteer (staff) signed up for the activity."""

    activity_id: Id
    person_id: Id = Field(description="The resident's or volunteer's id (no name).")
    role: SignUpRole


class ActivitySignUpCancelled(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """A sign-up was withdrawn before the activity began."""

    activity_id: Id
    person_id: Id
    role: SignUpRole


class ActivityCancelled(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """The organiser called the activity off before it was held."""

    activity_id: Id
    unit: UnitRef
    note: FreeText | None = Field(default=None, max_length=500)


class StaffAttendance(Value):
    """One volunteer's attendance as staff: when they signed up, arrived and left."""

    volunteer_id: Id
    signed_up_at: AwareDatetime
    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime | None = None


class ActivityHeld(Payload, topic=REQUESTS, version="1.0", key="activity_id"):
    """The organiser closed the attendance: head-count served and staff attendance approved.

    ``served`` counts the residents who attended (checked in with the code or ticked on the
    list) plus walk-ins counted at the door. The volunteers service records each staff
    member's hours from ``staff`` by the same hour rules as orders (the window is the
    activity's, the sign-up stands for the accept); ``approved_by`` is the organiser.
    ``attendees`` (added in 1.0, empty from older producers) are who may rate it.
    """

    activity_id: Id
    unit: UnitRef
    platform: Platform
    category: Category
    title: ShortText
    window: TimeWindow
    served: int = Field(ge=0, le=100_000)
    walk_ins: int = Field(default=0, ge=0, le=100_000)
    signed_up: int = Field(default=0, ge=0, le=100_000, description="Residents signed up.")
    organiser_team_id: Id | None = None
    staff: list[StaffAttendance] = Field(default_factory=list, max_length=500)
    approved_by: Id
    attendees: list[Id] = Field(
        default_factory=list, max_length=100_000,
        description="The residents who attended (checked in or ticked), by id only: the "
                    "feedback service lets them, and only them, rate the activity.")
