"""The feedback service's MongoDB repositories (its own database only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_contracts.envelope import Envelope
from civiloop_feedback.app.access import Scope
from civiloop_feedback.domain.activity import ActivityRating, HeldActivity
from civiloop_feedback.domain.errors import AlreadyRated
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus
from civiloop_feedback.domain.order import ServedOrder
from civiloop_feedback.domain.rating import Rating
from civiloop_feedback.domain.satisfaction import Outcome
from civiloop_platform.store.versioned import Taken, VersionedStore

Collection = AsyncCollection[Any]


def scope_filter(scope: Scope) -> dict[str, Any]:
    """The MongoDB filter of a reader's scope, over documents with ``unit`` and people."""
    query: dict[str, Any] = {}
    if scope.resident_id is not None:
        query["resident_id"] = scope.resident_id
    if scope.volunteer_id is not None:
        query["volunteer_ids"] = scope.volunteer_id
    query.update(scope.units.match("unit"))
    return query


class MongoOrders(VersionedStore[ServedOrder]):
    """The orders read model."""

    model, id_field = ServedOrder, "order_id"

    async def due(self, completed_before: datetime, limit: int) -> list[str]:
        """Ids of placed orders served before the moment that are neither rated nor lapsed."""
        cursor = self.collection.find(
            {"rated": False, "lapsed": False, "cancelled": False,
             "placement": {"$ne": None}, "service.completed_at": {"$lte": completed_before}},
            {"_id": 1}, session=self.session).sort("service.completed_at", ASCENDING).limit(limit)
        return [str(document["_id"]) async for document in cursor]


class MongoRatings(VersionedStore[Rating]):
    """Ratings: one document per order and round."""

    model, id_field = Rating, "feedback_id"

    async def current(self, order_id: str) -> Rating | None:
        """The rating of the order's latest rated round, or None."""
        return await self.find_one({"order_id": order_id}, sort=[("round", DESCENDING)])

    async def add(self, rating: Rating) -> None:
        """Store a new rating; AlreadyRated if its order and round have one."""
        try:
            await super().add(rating)
        except Taken:
            raise AlreadyRated(f"order {rating.order_id} is rated already") from None

    async def find_in(self, scope: Scope, limit: int) -> list[Rating]:
        """Ratings in ``scope``, newest first."""
        return await self.find(scope_filter(scope), [("given_at", DESCENDING)], limit)


class MongoFollowUps(VersionedStore[FollowUp]):
    """Follow-ups, one document each."""

    model, id_field = FollowUp, "follow_up_id"

    async def open_for(self, feedback_id: str) -> FollowUp | None:
        """The unresolved follow-up of a rating, if there is one."""
        return await self.find_one({"feedback_id": feedback_id,
                                    "status": {"$ne": FollowUpStatus.RESOLVED.value}})

    async def find_in(self, scope: Scope, status: FollowUpStatus | None,
                      limit: int) -> list[FollowUp]:
        """Follow-ups in ``scope``, oldest first (the longest waiting on top)."""
        query = scope_filter(scope)
        if status is not None:
            query["status"] = status.value
        return await self.find(query, [("opened_at", ASCENDING)], limit)


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


class MongoOutcomes:
    """How each served round ended: ``_id`` is ``<order id>:<round>``."""

    def __init__(self, collection: Collection, session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session

    async def record(self, outcome: Outcome) -> None:
        """Store or replace the outcome of its order and round."""
        await self.collection.replace_one(
            {"_id": f"{outcome.order_id}:{outcome.round}"}, outcome.model_dump(), upsert=True,
            session=self.session)

    async def find_in(self, scope: Scope, since: datetime | None,
                      until: datetime | None) -> list[Outcome]:
        """Outcomes in ``scope`` that ended in [since, until)."""
        query = scope_filter(scope)
        span = {op: at for op, at in (("$gte", since), ("$lt", until)) if at is not None}
        if span:
            query["at"] = span
        cursor = self.collection.find(query, {"_id": 0}, session=self.session)
        return [Outcome.model_validate(document) async for document in cursor]


class MongoParkedRatings:
    """Parked intake ratings: ``_id`` is the CloudEvent's ``<source> <id>``."""

    def __init__(self, collection: Collection, session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session

    async def park(self, envelope: Envelope, *, placed: bool) -> None:
        """Keep the rating's envelope (once per CloudEvent source and id)."""
        await self.collection.replace_one(
            {"_id": _event_key(envelope)},
            {"order_id": envelope.partitionkey, "time": envelope.time, "placed": placed,
             "envelope": envelope.to_json().decode()}, upsert=True, session=self.session)

    async def for_order(self, order_id: str) -> list[Envelope]:
        """The order's parked ratings, in the order they were given."""
        cursor = self.collection.find({"order_id": order_id}, session=self.session).sort(
            "time", ASCENDING)
        return [Envelope.model_validate_json(document["envelope"]) async for document in cursor]

    async def drop(self, envelope: Envelope) -> None:
        """Forget a parked rating once it was applied or refused."""
        await self.collection.delete_one({"_id": _event_key(envelope)}, session=self.session)

    async def unplaced_before(self, moment: datetime, limit: int) -> list[Envelope]:
        """Ratings parked for an unknown order, given before ``moment``, oldest first."""
        # Rows parked before the flag existed all waited for a completion: none match.
        cursor = self.collection.find({"placed": False, "time": {"$lt": moment}},
                                      session=self.session).sort("time", ASCENDING).limit(limit)
        return [Envelope.model_validate_json(document["envelope"]) async for document in cursor]

    async def mark_placed(self, envelope: Envelope) -> None:
        """The parked rating's order is known now: it waits for the completion."""
        await self.collection.update_one({"_id": _event_key(envelope)},
                                         {"$set": {"placed": True}}, session=self.session)


def _event_key(envelope: Envelope) -> str:
    return f"{envelope.source} {envelope.id}"
