"""The requests service's repositories of aggregates, one versioned document each (the
platform's VersionedStore): orders, needs surveys with their answers, activities with their
sign-ups; and their indexes. Two writers of one aggregate never overwrite each other."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING

from civiloop_platform.auth.scope import Scope
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import VersionedStore
from civiloop_requests.domain.activity import Activity, ActivityState
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import BEFORE_COMPLETION
from civiloop_requests.domain.survey import Survey

ORDERS = "orders"


class MongoOrders(VersionedStore[Order]):
    """Orders in this service's database, read and written inside one transaction."""

    model, id_field, stored_only = Order, "order_id", ("placed_at",)

    def extra(self, aggregate: Order) -> dict[str, Any]:
        # Copied out of the timeline so listing by date range can use an index.
        return {"placed_at": aggregate.placed_at}

    async def open_of(self, resident_id: str, category: str, station: str) -> list[Order]:
        """The resident's open orders for ``category`` at ``station`` ("+1" candidates)."""
        cursor = self.collection.find(
            {"requester.resident_id": resident_id, "category": category,
             "unit.station": station, "status": {"$in": [s.value for s in BEFORE_COMPLETION]}},
            session=self.session)
        return [self.load(d) async for d in cursor]


async def ensure_order_indexes(database: ServiceDatabase) -> None:
    """Create the orders' indexes (idempotent): listings per unit and date, the "+1" lookup."""
    orders = database.db[ORDERS]
    await orders.create_index(
        [("requester.resident_id", ASCENDING), ("category", ASCENDING), ("status", ASCENDING)],
        name="resident_category_status")
    for name, field in (("station", "unit.station"), ("institute", "unit.institute"),
                        ("resident", "requester.resident_id"), ("served_by", "served_by")):
        await orders.create_index([(field, ASCENDING), ("placed_at", DESCENDING)],
                                  name=f"{name}_placed")
    await orders.create_index([("placed_at", DESCENDING)], name="placed")


SURVEYS = "surveys"


class MongoSurveys(VersionedStore[Survey]):
    """Surveys read and written inside one transaction; two answers at once never collide."""

    model, id_field = Survey, "survey_id"

    async def of_units(self, units: Scope) -> list[Survey]:
        """Every survey published by a unit inside ``units`` (a station, an institute, all)."""
        cursor = self.collection.find(units.match("unit"), session=self.session)
        return [self.load(d) async for d in cursor]


async def ensure_survey_indexes(database: ServiceDatabase) -> None:
    """Surveys are listed per station and per institute."""
    surveys = database.db[SURVEYS]
    await surveys.create_index([("unit.station", ASCENDING)], name="station")
    await surveys.create_index([("unit.institute", ASCENDING)], name="institute")


ACTIVITIES = "activities"
LISTED = 500
"""A listing holds the latest activities, at most this many (newest start first)."""


class MongoActivities(VersionedStore[Activity]):
    """Activities read and written inside one transaction; two sign-ups never collide."""

    model, id_field = Activity, "activity_id"

    async def of_units(self, units: Scope, states: list[ActivityState]) -> list[Activity]:
        """Activities organised inside ``units`` in one of ``states``, newest start first."""
        query = {**units.match("plan.unit"), "state": {"$in": [s.value for s in states]}}
        cursor = self.collection.find(query, session=self.session).sort(
            "plan.window.start", -1).limit(LISTED)
        return [self.load(d) async for d in cursor]


async def ensure_activity_indexes(database: ServiceDatabase) -> None:
    """Activities are listed per station and institute, newest first."""
    activities = database.db[ACTIVITIES]
    for level in ("station", "institute"):
        await activities.create_index([(f"plan.unit.{level}", ASCENDING),
                                       ("plan.window.start", ASCENDING)], name=level)
