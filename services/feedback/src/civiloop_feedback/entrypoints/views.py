"""What the API shows of ratings and follow-ups (a volunteer's view leaves the resident out)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from civiloop_contracts.events.feedback import FollowUpCause, FollowUpResolution
from civiloop_contracts.values import Role, UnitRef
from civiloop_feedback.app.access import Visibility
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus, Note
from civiloop_feedback.domain.rating import Judgement, Rating


class RevisionView(BaseModel):
    """One version of a rating."""

    revision: int
    judgement: Judgement
    at: datetime
    by: Role


class RatingView(BaseModel):
    """A rating as a reader may see it; ``resident_id`` is absent from anonymous views."""

    feedback_id: str
    order_id: str
    round: int
    resident_id: str | None = None
    recorded_by: Role
    unit: UnitRef
    category: str
    platform: str
    team_id: str | None
    volunteer_ids: list[str]
    given_at: datetime
    current: Judgement
    revisions: list[RevisionView]


def rating_view(rating: Rating, seen: Visibility) -> RatingView:
    """The view of ``rating`` for a reader with visibility ``seen`` (not NONE)."""
    return RatingView(
        feedback_id=rating.feedback_id, order_id=rating.order_id, round=rating.round,
        resident_id=rating.resident_id if seen is Visibility.FULL else None,
        recorded_by=rating.recorded_by, unit=rating.unit, category=rating.category,
        platform=rating.platform.value, team_id=rating.team_id,
        volunteer_ids=rating.volunteer_ids, given_at=rating.given_at, current=rating.current,
        revisions=[RevisionView(revision=r.revision, judgement=r.judgement, at=r.at, by=r.by)
                   for r in rating.revisions])


class FollowUpView(BaseModel):
    """A follow-up as station staff see it."""

    follow_up_id: str
    order_id: str
    feedback_id: str
    round: int
    unit: UnitRef
    cause: FollowUpCause
    stars: int | None
    opened_at: datetime
    status: FollowUpStatus
    assignee: str | None
    notes: list[Note]
    resolution: FollowUpResolution | None
    resolved_at: datetime | None


def follow_up_view(follow_up: FollowUp) -> FollowUpView:
    """The view of ``follow_up``."""
    return FollowUpView.model_validate(follow_up.model_dump())
