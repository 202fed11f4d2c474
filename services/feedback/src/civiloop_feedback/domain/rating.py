"""The rating (老百姓评单): stars, tags and a comment on one served round of an order.

One rating per order and round. A change within the change window adds a revision; the
earlier revisions stay (a change is history, not an overwrite).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.feedback import FeedbackChanged, FeedbackGiven, FollowUpCause
from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import Category, Id, Platform, Role, Stars, UnitRef
from civiloop_feedback.domain.errors import InvalidInput, NotYours, RatingWindowClosed
from civiloop_feedback.domain.order import Placement, Service
from civiloop_feedback.domain.rater import Rater

LOW_STARS = 2
"""A rating of this many stars or fewer opens a follow-up (回访)."""
MAX_REVISIONS = 100


class Tag(StrEnum):
    """What a resident may tick when rating."""

    ON_TIME = "on_time"
    ATTITUDE = "attitude"  # friendly, patient
    PROFESSIONAL = "professional"
    SOLVED_PROBLEM = "solved_problem"  # 解决了我的问题
    LATE = "late"
    UNSOLVED = "unsolved"


def parse_tags(values: list[str]) -> list[Tag]:
    """The tags, each once, in the given order; InvalidInput naming an unknown one."""
    known = {t.value for t in Tag}
    for value in values:
        if value not in known:
            raise InvalidInput(f"tags: unknown tag {value!r} (known: {', '.join(sorted(known))})")
    return list(dict.fromkeys(Tag(v) for v in values))


class Judgement(BaseModel):
    """What a rater says: stars, tags, an optional comment, and whether to follow it up."""

    stars: Stars
    tags: list[Tag] = Field(default_factory=list, max_length=10)
    comment: FreeText | None = Field(default=None, max_length=1000)
    flagged: bool = False

    def follow_up_cause(self) -> FollowUpCause | None:
        """Why this judgement needs a follow-up, if it does."""
        if self.flagged:
            return FollowUpCause.COMPLAINT
        return FollowUpCause.LOW_RATING if self.stars <= LOW_STARS else None


class Revision(BaseModel):
    """One version of a rating, as given or changed."""

    revision: int
    judgement: Judgement
    at: AwareDatetime
    by: Role


class Rating(BaseModel):
    """A rating of one order's service round, with the order's facts figures group by."""

    feedback_id: Id
    order_id: Id
    round: int
    resident_id: Id | None
    recorded_by: Role
    unit: UnitRef
    category: Category
    platform: Platform
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list)
    given_at: AwareDatetime
    revisions: list[Revision]

    @property
    def current(self) -> Judgement:
        """The judgement as it stands now (the latest revision)."""
        return self.revisions[-1].judgement

    def change(self, judgement: Judgement, rater: Rater, now: datetime,
               window: timedelta) -> FeedbackChanged | None:
        """Add a revision if it says something new; None when it repeats the current one."""
        if rater.role is Role.RESIDENT and rater.subject != self.resident_id:
            raise NotYours(f"the rating of order {self.order_id} is another resident's")
        if rater.role is not Role.RESIDENT and not rater.covers(self.unit):
            raise NotYours(f"order {self.order_id} belongs to another station")
        if rater.role is not Role.RESIDENT and self.recorded_by is Role.RESIDENT:
            raise NotYours(f"the rating of order {self.order_id} is the resident's own: "
                           "only they may change it")
        if judgement == self.current:
            return None
        if now > self.given_at + window or len(self.revisions) >= MAX_REVISIONS:
            raise RatingWindowClosed(
                f"the rating of order {self.order_id} can no longer be changed "
                f"(window of {window} after {self.given_at.isoformat()})")
        previous = self.current
        self.revisions.append(Revision(revision=len(self.revisions) + 1, judgement=judgement,
                                       at=now, by=rater.role))
        return FeedbackChanged(
            order_id=self.order_id, feedback_id=self.feedback_id, revision=len(self.revisions),
            stars=judgement.stars, previous_stars=previous.stars, comment=judgement.comment,
            tags=[t.value for t in judgement.tags])


def give_rating(feedback_id: str, order_id: str, round_: int, placement: Placement,
                service: Service, judgement: Judgement, rater: Rater,
                now: datetime) -> tuple[Rating, FeedbackGiven]:
    """The first rating of a served round, and the event that announces it."""
    role = Role.RESIDENT if rater.role is Role.RESIDENT else Role.STATION_OPERATOR
    rating = Rating(
        feedback_id=feedback_id, order_id=order_id, round=round_,
        resident_id=placement.resident_id, recorded_by=role, unit=placement.unit,
        category=placement.category, platform=placement.platform, team_id=service.team_id,
        volunteer_ids=service.volunteer_ids, given_at=now,
        revisions=[Revision(revision=1, judgement=judgement, at=now, by=role)])
    event = FeedbackGiven(
        order_id=order_id, feedback_id=feedback_id, stars=judgement.stars,
        comment=judgement.comment, tags=[t.value for t in judgement.tags], recorded_by=role,
        unit=placement.unit, category=placement.category, platform=placement.platform,
        team_id=service.team_id, volunteer_ids=service.volunteer_ids,
        recorder_id=rater.subject if role is Role.STATION_OPERATOR else None)
    return rating, event
