"""Leases in MongoDB: among any number of replicas, one holder of a named job at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from civiloop_contracts.envelope import utcnow
from civiloop_platform.store.mongo import Document


class Lease:
    """A named lease held by ``owner`` for ``ttl_s`` seconds unless renewed.

    Whoever holds an unexpired lease keeps it by renewing; when the holder dies, its lease
    runs out and another replica takes it over, so a job is never left without an owner.
    """

    def __init__(self, leases: AsyncCollection[Document], name: str, owner: str,
                 ttl_s: float) -> None:
        self.leases, self.name, self.owner, self.ttl = leases, name, owner, timedelta(seconds=ttl_s)
        self._renewed_at: datetime | None = None

    async def acquire(self) -> bool:
        """Take or renew the lease; True when this owner holds it now."""
        now = utcnow()
        if self._renewed_at is not None and now - self._renewed_at < self.ttl / 3:
            # Held for two thirds of the TTL more: a write on every poll of every replica
            # would only load the database (and its record of retryable writes).
            return True
        try:
            doc = await self.leases.find_one_and_update(
                {"_id": self.name, "$or": [{"owner": self.owner}, {"expires_at": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "expires_at": now + self.ttl, "renewed_at": now}},
                upsert=True, return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            self._renewed_at = None
            return False  # the lease exists and another live owner holds it
        held = doc is not None and doc.get("owner") == self.owner
        self._renewed_at = now if held else None
        return held

    async def release(self) -> None:
        """Give the lease up at once (on shutdown) so a standby need not wait for expiry."""
        self._renewed_at = None
        await self.leases.delete_one({"_id": self.name, "owner": self.owner})
