"""Ratings (老百姓评单) and follow-ups on ``feedback.events.v1``, keyed by order id.

The rating events carry the order's unit, category, platform and who served it, so that
satisfaction figures (average, share of 4–5 stars, share unrated) per station, institute,
category, team and volunteer can be rebuilt from this topic alone (stats does).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from civiloop_contracts.masking import FreeText
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import FEEDBACK
from civiloop_contracts.values import Category, Id, Platform, RatingTag, Role, Stars, UnitRef

Tags = Annotated[list[RatingTag], Field(max_length=10)]


class FeedbackGiven(Payload, topic=FEEDBACK, version="1.2", key="order_id"):
    """The resident's rating of a served order is recorded (once per order and service round).

    1.1 adds the tags, who recorded it (``station_operator``: a resident's verbal rating
    typed in by station staff) and the order's facts the district figures group by. 1.2
    adds ``recorder_id``: who typed it in for the resident (a resident's own rating names
    nobody here: it is the resident who ordered).
    """

    order_id: Id
    feedback_id: Id
    stars: Stars
    comment: FreeText | None = Field(default=None, max_length=1000)
    tags: Tags = Field(default_factory=list)
    recorded_by: Role | None = None
    unit: UnitRef | None = None
    category: Category | None = None
    platform: Platform | None = None
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list, max_length=500)
    recorder_id: Annotated[str, Field(min_length=1, max_length=256)] | None = Field(
        default=None, description=(
            "Who typed the rating in, when recorded_by is not the resident: the staff member's "
            "id, or the station frontend that sent it (its CloudEvents source) when the "
            "frontend named no resident."))


class FeedbackChanged(Payload, topic=FEEDBACK, key="order_id"):
    """A rating is changed within the change window; the earlier version stays in its history."""

    order_id: Id
    feedback_id: Id
    revision: int = Field(ge=2, le=100, description="2 for the first change.")
    stars: Stars
    previous_stars: Stars
    comment: FreeText | None = Field(default=None, max_length=1000)
    tags: Tags = Field(default_factory=list)


class RatingLapsed(Payload, topic=FEEDBACK, key="order_id"):
    """A served order was not rated in time: requests closes it as ``unrated``."""

    order_id: Id
    rate_by: AwareDatetime = Field(description="The deadline that passed.")
    unit: UnitRef | None = None
    category: Category | None = None
    platform: Platform | None = None
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list, max_length=500)


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


# ``note`` is the reason: the feedback service always sets it (1-500 characters) when the
# resolution is ``reopen``, so requests can copy it into OrderReopened.reason.
class FollowUpResolved(Payload, topic=FEEDBACK, version="1.1", key="order_id"):
    """A follow-up is closed, possibly asking for the order to be served again.

    1.1 adds ``resolved_by``: the staff member who closed it.
    """

    order_id: Id
    follow_up_id: Id
    resolution: FollowUpResolution
    note: FreeText | None = Field(default=None, max_length=1000)
    resolved_by: Id | None = Field(default=None, description=(
        "The station staff member (or dispatcher) who resolved the follow-up."))
