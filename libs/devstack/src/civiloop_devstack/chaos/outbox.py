"""Watching every service's outbox: the rows committed and not yet on Kafka, over time."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from civiloop_devstack.chaos.faults import now

EVERY_S = 2.0
PENDING = {"pending": {"$exists": True}}  # the relay removes the mark once a row is sent


@dataclass
class OutboxWatch:
    """Samples the pending outbox rows of ``databases`` every ``EVERY_S`` seconds."""

    mongo_url: str
    databases: list[str]
    samples: list[tuple[datetime, int | None]] = field(default_factory=list)
    """(when, pending rows in all outboxes); None while the store did not answer."""
    empty: asyncio.Event = field(default_factory=asyncio.Event)
    """Set while the last sample found every outbox empty."""

    async def run(self, stop: asyncio.Event) -> None:
        """Sample until ``stop``."""
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            self.mongo_url, serverSelectionTimeoutMS=3000, timeoutMS=3000)
        try:
            while not stop.is_set():
                pending = await self.pending(client)
                self.samples.append((now(), pending))
                if pending == 0:
                    self.empty.set()
                else:
                    self.empty.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), EVERY_S)
        finally:
            await client.close()

    async def pending(self, client: AsyncMongoClient[dict[str, Any]]) -> int | None:
        """Rows waiting in every outbox now, or None if the store does not answer."""
        try:
            return sum([await client[db]["outbox"].count_documents(PENDING)
                        for db in self.databases])
        except PyMongoError:
            return None

    def drained_after(self, since: datetime) -> float | None:
        """Seconds from ``since`` to the first sample with every outbox empty, if any."""
        return next(((at - since).total_seconds() for at, n in self.samples
                     if at >= since and n == 0), None)
