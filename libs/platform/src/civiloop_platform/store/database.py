"""A service's own MongoDB database, with the outbox, inbox and lease collections."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from pymongo import ASCENDING, AsyncMongoClient

from civiloop_contracts.envelope import utcnow
from civiloop_platform.store.mongo import Document


class ServiceDatabase:
    """The database one service owns; no other service ever reads it."""

    def __init__(self, client: AsyncMongoClient[Document], name: str) -> None:
        self.client = client
        self.db = client[name]
        self.outbox = self.db["outbox"]
        self.inbox = self.db["inbox"]
        self.leases = self.db["leases"]
        # Set when a transaction wrote outbox rows, so the relay need not wait for its poll.
        self.nudge = asyncio.Event()
        # This process, as the writer of outbox rows (the relay hears of others' rows only).
        self.writer = uuid.uuid4().hex[:12]
        self._listeners: list[asyncio.Event] = []

    def listen(self) -> asyncio.Event:
        """An event set whenever a transaction here commits events (a worker's wake-up)."""
        event = asyncio.Event()
        self._listeners.append(event)
        return event

    def committed(self) -> None:
        """A transaction committed events: wake the relay and every listener."""
        self.nudge.set()
        for event in self._listeners:
            event.set()

    async def ensure_indexes(self) -> None:
        """Create the platform's indexes (idempotent)."""
        await self.outbox.create_index(
            [("pending", ASCENDING), ("created_at", ASCENDING), ("seq", ASCENDING)],
            name="pending_in_order")
        await self.outbox.create_index([("sent_at", ASCENDING)], name="sent_at")
        await self.inbox.create_index([("applied_at", ASCENDING)], name="applied_at")

    async def purge(self, *, outbox_days: float, inbox_days: float) -> tuple[int, int]:
        """Delete sent outbox rows and inbox marks older than the retention; return counts."""
        now = utcnow()
        sent = await self.outbox.delete_many(
            {"pending": {"$exists": False}, "sent_at": {"$lt": now - timedelta(days=outbox_days)}})
        applied = await self.inbox.delete_many(
            {"applied_at": {"$lt": now - timedelta(days=inbox_days)}})
        return sent.deleted_count, applied.deleted_count
