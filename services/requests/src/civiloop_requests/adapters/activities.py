"""The activities repository: one versioned document per activity with its sign-ups."""

from __future__ import annotations

from pymongo import ASCENDING

from civiloop_platform.auth.scope import Scope
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import VersionedStore
from civiloop_requests.domain.activity import Activity, ActivityState

COLLECTION = "activities"
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
    activities = database.db[COLLECTION]
    for level in ("station", "institute"):
        await activities.create_index([(f"plan.unit.{level}", ASCENDING),
                                       ("plan.window.start", ASCENDING)], name=level)
