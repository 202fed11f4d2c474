"""Rating an activity (活动评价): who attended may rate it once, like an order.

requests owns the activity and its attendance; this service learns who attended from
ActivityHeld (ids only) and keeps each attendee's one rating. The judgement is an order's
(stars, tags, comment), so the figures can read both alike.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel

from civiloop_contracts.values import Category, Id, Platform, UnitRef
from civiloop_feedback.domain.errors import NotYours
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement


class HeldActivity(BaseModel):
    """What this service knows of a held activity: where, what, and who may rate it."""

    activity_id: Id
    unit: UnitRef
    category: Category
    platform: Platform
    title: str
    attendees: list[Id]
    held_at: AwareDatetime

    def rate(self, rater: Rater, judgement: Judgement, now: datetime) -> ActivityRating:
        """The attendee's rating; NotYours for anyone who did not attend."""
        if rater.subject not in self.attendees:
            raise NotYours(f"activity {self.activity_id}: only its attendees rate it "
                           f"and {rater.subject} did not attend")
        return ActivityRating(rating_id=f"{self.activity_id}/{rater.subject}",
                              activity_id=self.activity_id, resident_id=rater.subject,
                              unit=self.unit, category=self.category, judgement=judgement,
                              given_at=now)


class ActivityRating(BaseModel):
    """One attendee's rating of an activity (one per attendee: the id says whose)."""

    rating_id: str
    activity_id: Id
    resident_id: Id
    unit: UnitRef
    category: Category
    judgement: Judgement
    given_at: AwareDatetime


class ActivitySummary(BaseModel):
    """The ratings of one activity as its organisers read them: no resident ids."""

    activity_id: str
    title: str
    attendees: int
    ratings: int
    mean_stars: float | None
    comments: list[str]

    @classmethod
    def of(cls, activity: HeldActivity, ratings: list[ActivityRating]) -> ActivitySummary:
        """The summary of ``activity``'s ``ratings``."""
        stars = [r.judgement.stars for r in ratings]
        return cls(activity_id=activity.activity_id, title=activity.title,
                   attendees=len(activity.attendees), ratings=len(ratings),
                   mean_stars=round(sum(stars) / len(stars), 2) if stars else None,
                   comments=[r.judgement.comment for r in ratings if r.judgement.comment])
