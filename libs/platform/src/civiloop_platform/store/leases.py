"""Leases in MongoDB: among any number of replicas, one holder of a named job at a time."""

from __future__ import annotations

from datetime import timedelta

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

    async def acquire(self) -> bool:
        """Take or renew the lease; True when this owner holds it now."""
        now = utcnow()
        try:
            doc = await self.leases.find_one_and_update(
                {"_id": self.name, "$or": [{"owner": self.owner}, {"expires_at": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "expires_at": now + self.ttl, "renewed_at": now}},
                upsert=True, return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return False  # the lease exists and another live owner holds it
        return doc is not None and doc.get("owner") == self.owner

    async def release(self) -> None:
        """Give the lease up at once (on shutdown) so a standby need not wait for expiry."""
        await self.leases.delete_one({"_id": self.name, "owner": self.owner})
