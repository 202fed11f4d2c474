"""Accept-deadline timers: claimed one at a time with a lease, so each fires exactly once.

A replica claims a due timer with one atomic find-and-update (``lease_until`` in the future,
``owner`` itself). Firing happens in a transaction that also moves the timer from pending to
fired only if it still is pending: a second replica that claims the same timer after a lease
ran out finds it fired and does nothing. A replica that dies holding a claim loses it when
the lease runs out, and another replica fires the timer then: none is lost.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection


class MongoTimers:
    """The ``timers`` collection, as the deadline loop uses it."""

    def __init__(self, collection: AsyncCollection[Any],
                 session: AsyncClientSession | None = None) -> None:
        self.collection, self.session = collection, session

    async def next_due(self) -> datetime | None:
        """When the earliest pending timer is due (one indexed read), or None."""
        first = await self.collection.find_one({"state": "pending"}, projection={"due_at": 1},
                                               sort=[("due_at", ASCENDING)])
        return None if first is None else first["due_at"]

    async def claim_due(self, owner: str, now: datetime, lease_s: float) -> dict[str, Any] | None:
        """Claim one pending timer due by ``now`` that nobody holds; None when there is none."""
        return await self.collection.find_one_and_update(
            {"state": "pending", "due_at": {"$lte": now},
             "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]},
            {"$set": {"owner": owner, "lease_until": now + timedelta(seconds=lease_s)},
             "$inc": {"claims": 1}},
            sort=[("due_at", ASCENDING)], return_document=ReturnDocument.AFTER)

    async def mark(self, timer_id: str, owner: str, now: datetime, state: str = "fired") -> bool:
        """Inside the firing transaction: pending → ``state``, only for this claim's owner."""
        result = await self.collection.update_one(
            {"_id": timer_id, "state": "pending", "owner": owner},
            {"$set": {"state": state, "fired_at": now, "fired_by": owner}}, session=self.session)
        return result.modified_count == 1


async def ensure_timer_indexes(collection: AsyncCollection[Any]) -> None:
    """Due pending timers in deadline order, and an order's timers (idempotent)."""
    await collection.create_index([("state", ASCENDING), ("due_at", ASCENDING)], name="due")
    await collection.create_index([("order_id", ASCENDING), ("state", ASCENDING)],
                                  name="order_state")
