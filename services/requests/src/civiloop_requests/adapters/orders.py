"""The orders repository: one document per order, saved with an optimistic version check."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import VersionedStore
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import BEFORE_COMPLETION

COLLECTION = "orders"


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


async def ensure_indexes(database: ServiceDatabase) -> None:
    """Create the orders' indexes (idempotent): listings per unit and date, the "+1" lookup."""
    orders = database.db[COLLECTION]
    await orders.create_index(
        [("requester.resident_id", ASCENDING), ("category", ASCENDING), ("status", ASCENDING)],
        name="resident_category_status")
    for name, field in (("station", "unit.station"), ("institute", "unit.institute"),
                        ("resident", "requester.resident_id"), ("served_by", "served_by")):
        await orders.create_index([(field, ASCENDING), ("placed_at", DESCENDING)],
                                  name=f"{name}_placed")
    await orders.create_index([("placed_at", DESCENDING)], name="placed")
