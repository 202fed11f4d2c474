"""Held activities and their ratings, in the feedback database."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_feedback.domain.activity import ActivityRating, HeldActivity
from civiloop_feedback.domain.errors import AlreadyRated
from civiloop_platform.store.versioned import Taken, VersionedStore

Collection = AsyncCollection[Any]


class MongoHeldActivities(VersionedStore[HeldActivity]):
    """Held activities, one document each (from ActivityHeld)."""

    model, id_field = HeldActivity, "activity_id"


class MongoActivityRatings(VersionedStore[ActivityRating]):
    """Activity ratings, one per activity and attendee (the document id says so)."""

    model, id_field = ActivityRating, "rating_id"

    async def add(self, rating: ActivityRating) -> None:
        """Store a new rating; AlreadyRated if this attendee rated this activity."""
        try:
            await super().add(rating)
        except Taken:
            raise AlreadyRated(f"activity {rating.activity_id} is rated already by "
                               f"{rating.resident_id}") from None

    async def of_activity(self, activity_id: str, limit: int) -> list[ActivityRating]:
        """The activity's ratings, newest first."""
        return await self.find({"activity_id": activity_id}, [("given_at", DESCENDING)], limit)
