"""Read-only order listings for the HTTP edge: filters, date range, pagination, newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pymongo import DESCENDING

from civiloop_platform.store.database import ServiceDatabase
from civiloop_requests.adapters.repositories import ORDERS, MongoOrders
from civiloop_requests.app.queries import OrderCriteria, Page
from civiloop_requests.domain.order import Order


def _mongo_filter(criteria: OrderCriteria) -> dict[str, Any]:
    """The MongoDB filter for ``criteria``; each set field narrows the listing."""
    found: dict[str, Any] = {}
    plain = {"unit.station": criteria.station, "unit.institute": criteria.institute,
             "category": criteria.category, "platform": criteria.platform,
             "requester.resident_id": criteria.resident_id, "served_by": criteria.served_by}
    found.update({k: v for k, v in plain.items() if v is not None})
    found.update(criteria.units.match("unit"))
    if criteria.statuses:
        found["status"] = {"$in": [s.value for s in criteria.statuses]}
    placed = {op: v for op, v in (("$gte", criteria.placed_from), ("$lt", criteria.placed_to))
              if v is not None}
    if placed:
        found["placed_at"] = placed
    return found


class MongoOrderQueries:
    """Listings over the orders collection, outside any transaction."""

    def __init__(self, database: ServiceDatabase) -> None:
        self.collection = database.db[ORDERS]

    async def get(self, order_id: str) -> Order | None:
        """The order, or None."""
        document = await self.collection.find_one({"_id": order_id})
        return None if document is None else MongoOrders.load(document)

    async def find(self, criteria: OrderCriteria, page: int, page_size: int) -> Page:
        """Page ``page`` (from 1) of the orders matching ``criteria``, newest first."""
        found = _mongo_filter(criteria)
        total = await self.collection.count_documents(found)
        cursor = self.collection.find(found).sort([("placed_at", DESCENDING), ("_id", DESCENDING)])
        documents = await cursor.skip((page - 1) * page_size).limit(page_size).to_list()
        return Page(items=[MongoOrders.load(d) for d in documents], total=total, page=page,
                    page_size=page_size)

    async def ids(self) -> AsyncIterator[str]:
        """Every stored order's id, in id order."""
        async for document in self.collection.find({}, {"_id": 1}).sort("_id", 1):
            yield str(document["_id"])
