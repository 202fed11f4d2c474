"""Ratings (老百姓评单) and follow-ups on ``feedback.events.v1``, keyed by order id."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from civiloop_contracts.masking import FreeText
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import FEEDBACK
from civiloop_contracts.values import Id, Stars


class FeedbackGiven(Payload, topic=FEEDBACK, key="order_id"):
    """The resident's rating of a served order is recorded (once per order)."""

    order_id: Id
    feedback_id: Id
    stars: Stars
    comment: FreeText | None = Field(default=None, max_length=1000)


class FollowUpCause(StrEnum):
    """Why someone has to look at an order again."""

    LOW_RATING = "low_rating"
    COMPLAINT = "complaint"
    NOT_SERVED = "not_served"


class FollowUpOpened(Payload, topic=FEEDBACK, key="order_id"):
    """A low rating or complaint opens a follow-up (回访) for station staff."""

    order_id: Id
    follow_up_id: Id
    cause: FollowUpCause
    stars: Stars | None = None


class FollowUpResolution(StrEnum):
    """How a follow-up ended; ``reopen`` makes requests reopen the order for dispatch."""

    EXPLAINED = "explained"
    REOPEN = "reopen"
    DISMISSED = "dismissed"


class FollowUpResolved(Payload, topic=FEEDBACK, key="order_id"):
    """A follow-up is closed, possibly asking for the order to be served again."""

    order_id: Id
    follow_up_id: Id
    resolution: FollowUpResolution
    note: FreeText | None = Field(default=None, max_length=1000)
