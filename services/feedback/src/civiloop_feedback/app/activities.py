"""Activities (活动评价): learn who attended from ActivityHeld; attendees rate, organisers read."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from civiloop_contracts.events.activities import ActivityHeld
from civiloop_contracts.payload import Payload
from civiloop_feedback.domain.activity import ActivityRating, ActivitySummary, HeldActivity
from civiloop_feedback.domain.errors import UnknownActivity
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement
from civiloop_platform.auth import Principal
from civiloop_platform.messages import Handler, Received

MAX_LISTED = 1000


class HeldActivities(Protocol):
    """Held activities."""

    async def get(self, activity_id: str) -> HeldActivity | None:
        """The held activity, or None."""
        ...

    async def save(self, activity: HeldActivity) -> None:
        """Store a new one."""
        ...


class ActivityRatings(Protocol):
    """Activity ratings."""

    async def add(self, rating: ActivityRating) -> None:
        """Store a new rating; AlreadyRated when the attendee rated already."""
        ...

    async def of_activity(self, activity_id: str, limit: int) -> list[ActivityRating]:
        """The activity's ratings, newest first."""
        ...


class ActivityWork(Protocol):
    """The part of the unit of work these use cases need."""

    activities: HeldActivities
    activity_ratings: ActivityRatings


async def on_activity_held(event: Received[ActivityHeld], uow: ActivityWork) -> None:
    """An activity was held: remember it and who may rate it (once: a redelivery is a no-op)."""
    held = event.payload
    if await uow.activities.get(held.activity_id) is not None:
        return
    await uow.activities.save(HeldActivity(
        activity_id=held.activity_id, unit=held.unit, category=held.category,
        platform=held.platform, title=held.title, attendees=held.attendees,
        held_at=event.envelope.time))


def activity_handlers() -> dict[type[Payload], Handler]:
    """The handler of ActivityHeld (requests' topic, the feedback-orders group)."""
    return {ActivityHeld: on_activity_held}


async def held(uow: ActivityWork, activity_id: str) -> HeldActivity:
    """The held activity; UnknownActivity if it is not (yet) known here."""
    activity = await uow.activities.get(activity_id)
    if activity is None:
        raise UnknownActivity(f"activity {activity_id} is not known here as held")
    return activity


async def rate_activity(uow: ActivityWork, activity_id: str, judgement: Judgement,
                        rater: Rater, now: datetime) -> ActivityRating:
    """An attendee rates the activity, once."""
    rating = (await held(uow, activity_id)).rate(rater, judgement, now)
    await uow.activity_ratings.add(rating)
    return rating


async def summary(uow: ActivityWork, activity_id: str,
                  reader: Principal) -> ActivitySummary:
    """The activity's ratings for a reader whose units cover it."""
    activity = await held(uow, activity_id)
    reader.scope.require(activity.unit, f"activity {activity_id}")
    return ActivitySummary.of(activity, await uow.activity_ratings.of_activity(activity_id,
                                                                               MAX_LISTED))
