"""Held activities and their ratings, in the feedback database."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_feedback.adapters.documents import DuplicateDocument, VersionedDocuments
from civiloop_feedback.domain.activity import ActivityRating, HeldActivity
from civiloop_feedback.domain.errors import AlreadyRated

Collection = AsyncCollection[Any]


class MongoHeldActivities(VersionedDocuments[HeldActivity]):
    """Held activities, one document each (from ActivityHeld)."""

    def __init__(self, collection: Collection, session: AsyncClientSession) -> None:
        super().__init__(collection, session, HeldActivity, "activity_id")

    async def get(self, activity_id: str) -> HeldActivity | None:
        """The held activity, or None."""
        return await self.find_one({"_id": activity_id})


class MongoActivityRatings(VersionedDocuments[ActivityRating]):
    """Activity ratings, one per activity and attendee (the document id says so)."""

    def __init__(self, collection: Collection, session: AsyncClientSession) -> None:
        super().__init__(collection, session, ActivityRating, "rating_id")

    async def add(self, rating: ActivityRating) -> None:
        """Store a new rating; AlreadyRated if this attendee rated this activity."""
        try:
            await self.save(rating)
        except DuplicateDocument:
            raise AlreadyRated(f"activity {rating.activity_id} is rated already by "
                               f"{rating.resident_id}") from None

    async def of_activity(self, activity_id: str, limit: int) -> list[ActivityRating]:
        """The activity's ratings, newest first."""
        return await self.find({"activity_id": activity_id}, [("given_at", DESCENDING)], limit)
