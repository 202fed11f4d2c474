"""The feedback service's unit of work: its repositories bound to the transaction's session."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_feedback.adapters.repositories import (
    MongoActivityRatings,
    MongoFollowUps,
    MongoHeldActivities,
    MongoOrders,
    MongoOutcomes,
    MongoParkedRatings,
    MongoRatings,
)
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork

ORDERS, RATINGS, FOLLOW_UPS, OUTCOMES = "orders", "ratings", "follow_ups", "outcomes"
PARKED = "parked_ratings"
ACTIVITIES, ACTIVITY_RATINGS = "held_activities", "activity_ratings"


class FeedbackUnitOfWork(MongoUnitOfWork):
    """One transaction over the feedback database, with its repositories on the session."""

    orders: MongoOrders
    ratings: MongoRatings
    follow_ups: MongoFollowUps
    outcomes: MongoOutcomes
    parked: MongoParkedRatings
    activities: MongoHeldActivities
    activity_ratings: MongoActivityRatings

    def bind(self, session: AsyncClientSession) -> None:
        db = self.database.db
        self.orders = MongoOrders(db[ORDERS], session)
        self.ratings = MongoRatings(db[RATINGS], session)
        self.follow_ups = MongoFollowUps(db[FOLLOW_UPS], session)
        self.outcomes = MongoOutcomes(db[OUTCOMES], session)
        self.parked = MongoParkedRatings(db[PARKED], session)
        self.activities = MongoHeldActivities(db[ACTIVITIES], session)
        self.activity_ratings = MongoActivityRatings(db[ACTIVITY_RATINGS], session)


async def ensure_indexes(database: ServiceDatabase) -> None:
    """Create the feedback indexes (idempotent): one rating per round, lapse and scope lookups."""
    db = database.db
    await db[ORDERS].create_index(
        [("rated", ASCENDING), ("lapsed", ASCENDING), ("service.completed_at", ASCENDING)],
        name="waiting_for_rating")
    ratings = db[RATINGS]
    await ratings.create_index([("order_id", ASCENDING), ("round", DESCENDING)],
                               unique=True, name="one_per_round")
    await ratings.create_index([("unit.station", ASCENDING), ("given_at", DESCENDING)],
                               name="station_given")
    await ratings.create_index([("resident_id", ASCENDING)], name="resident")
    await ratings.create_index([("volunteer_ids", ASCENDING)], name="volunteer")
    await db[FOLLOW_UPS].create_index(
        [("unit.station", ASCENDING), ("status", ASCENDING), ("opened_at", ASCENDING)],
        name="station_status")
    await db[FOLLOW_UPS].create_index([("feedback_id", ASCENDING)], name="feedback")
    await db[OUTCOMES].create_index([("at", ASCENDING)], name="at")
    await db[PARKED].create_index([("order_id", ASCENDING), ("time", ASCENDING)], name="order")
    await db[PARKED].create_index([("placed", ASCENDING), ("time", ASCENDING)],
                                  name="unplaced")  # the sweep of ratings for unknown orders
    await db[ACTIVITY_RATINGS].create_index([("activity_id", ASCENDING), ("given_at", DESCENDING)],
                                            name="activity_given")
