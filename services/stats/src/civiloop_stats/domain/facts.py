"""What the read models know, as the figures see it: facts with the times they happened.

Every fact keeps the event times it came from, so any figure can be asked "as of" a past
moment; histories (a volunteer's unit, a team's activity) keep every change with its time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """Unit codes of the three levels (centre, institute, station); deeper ones may be unset."""

    centre: str
    institute: str | None = None
    station: str | None = None


@dataclass(frozen=True)
class Change(Generic[T]):
    """A value that took effect at ``at``."""

    at: datetime
    value: T


def as_of(history: Iterable[Change[T]], moment: datetime) -> T | None:
    """The value in force at ``moment``: the latest change at or before it (ties: the larger)."""
    best: Change[T] | None = None
    for change in history:
        if change.at <= moment and (best is None or (change.at, repr(change.value))
                                    > (best.at, repr(best.value))):
            best = change
    return None if best is None else best.value


@dataclass(frozen=True)
class Completion:
    """One ServiceCompleted of an order: when, and how many people were served."""

    at: datetime
    people: int


@dataclass(frozen=True)
class OrderFacts:
    """One order's life: its dimensions and the first time it reached each milestone."""

    order_id: str
    place: Place | None = None
    platform: str | None = None
    category: str | None = None
    group_activity: bool = False
    placed_at: datetime | None = None
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    escalated_at: datetime | None = None
    unassignable_at: datetime | None = None
    rated_at: datetime | None = None
    stars: int | None = None
    completions: tuple[Completion, ...] = ()
    closes: tuple[Change[str], ...] = ()  # OrderClosed outcomes
    reopens: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class ActivityFacts:
    """An activity held (ActivityHeld): where, on which platform, when, how many served."""

    activity_id: str
    place: Place
    platform: str
    category: str
    held_at: datetime
    served: int


@dataclass(frozen=True)
class VolunteerFacts:
    """A registered volunteer: when registered, and their unit and status over time."""

    volunteer_id: str
    registered_at: datetime | None = None
    places: tuple[Change[Place], ...] = ()
    statuses: tuple[Change[str], ...] = ()
    stars: tuple[Change[int], ...] = ()
    """Star levels as the volunteers service set them (VolunteerUpdated.star_level)."""


@dataclass(frozen=True)
class TeamFacts:
    """A volunteer team: where, on which platform, and whether active over time."""

    team_id: str
    place: Place
    platform: str
    registered_at: datetime
    actives: tuple[Change[bool], ...] = ()


@dataclass(frozen=True)
class OrganisationFacts:
    """A registered volunteer organisation."""

    organisation_id: str
    place: Place
    registered_at: datetime
    dissolved_at: datetime | None = None


@dataclass(frozen=True)
class HonourFacts:
    """An honour on the good-deeds board (善行义举榜); the holder's name is masked."""

    honour_id: str
    title: str
    level: str
    year: int
    holder_name: str
    place: Place
    awarded_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class HoursFacts:
    """Approved hours of one volunteer on one order; the latest approval in force counts."""

    order_id: str
    volunteer_id: str
    approvals: tuple[Change[float], ...]


@dataclass(frozen=True)
class FollowUpFacts:
    """A follow-up (回访) of an order: opened, and maybe resolved."""

    follow_up_id: str
    order_id: str
    opened_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class SurveyChoiceFacts:
    """A survey choice and what it asks for (platform and category, when tied to one)."""

    label: str
    platform: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class SurveyAnswerFacts:
    """One resident's response to a survey: the choices picked, at a station."""

    response_id: str
    survey_id: str
    place: Place
    at: datetime
    choice_ids: tuple[str, ...]


@dataclass
class Snapshot:
    """Everything the figures of one part of the tree are computed from."""

    orders: dict[str, OrderFacts] = field(default_factory=dict)
    volunteers: list[VolunteerFacts] = field(default_factory=list)
    teams: list[TeamFacts] = field(default_factory=list)
    organisations: list[OrganisationFacts] = field(default_factory=list)
    honours: list[HonourFacts] = field(default_factory=list)
    hours: list[HoursFacts] = field(default_factory=list)
    follow_ups: list[FollowUpFacts] = field(default_factory=list)
    choices: dict[tuple[str, str], SurveyChoiceFacts] = field(default_factory=dict)
    answers: list[SurveyAnswerFacts] = field(default_factory=list)
    activities: list[ActivityFacts] = field(default_factory=list)
