"""The outbox relay: publishes committed outbox rows in order, then marks them sent.

A crash between the send and the mark re-sends the same events with the same ids on the
next round; consumers' inboxes drop the copies. Only the replica holding the relay lease
publishes, so N replicas do not race for the same rows; a round slower than the lease can
overlap with the next holder's, which costs duplicates (dropped by inboxes), never loss.

The relay does not poll while there is nothing to send: a commit in this process wakes it
at once, and a change stream of the outbox wakes it for rows other processes write (their
own commits do not reach it twice). A slow poll stays as the safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from pymongo import ASCENDING

from civiloop_contracts.envelope import utcnow
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.logs import get_logger
from civiloop_platform.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.leases import Lease
from civiloop_platform.timing import sleep_or_stop, wake_or_stop

log = get_logger(__name__)
# How long one wait of the change stream lasts when nothing happens (one read each): under
# the client's operation timeout (3 × MONGO_TIMEOUT_S).
WATCH_AWAIT_MS = 20_000
WATCH_REOPEN_S = 1.0  # after an invalidated stream: the collection is made again on use
# How long rows sent stay marked pending at most: the rounds of that time are marked with
# one write. A crash (or a lease lost) within it re-sends them, as a crash between a send
# and its mark always did; the consumers' inboxes drop the copies.
MARK_AFTER_S = 1.0


class OutboxRelay:
    """Moves outbox rows to Kafka while this replica holds the relay lease."""

    def __init__(self, database: ServiceDatabase, producer: EventProducer, *, service: str,
                 owner: str, poll_s: float = 30.0, lease_ttl_s: float = 15.0,
                 batch: int = 500) -> None:
        self.database, self.producer, self.service = database, producer, service
        self.lease = Lease(database.leases, "outbox-relay", owner, lease_ttl_s)
        self.poll_s, self.batch = poll_s, batch
        # Rows sent and not yet marked (the next rounds' reads leave them out), and when the
        # first of them was sent.
        self._unmarked: list[str] = []
        self._unmarked_since = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set; errors are logged and retried after a pause."""
        watching = asyncio.create_task(watch_outbox(self.database, stop), name="outbox-watch")
        try:
            await self._relay(stop)
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watching

    async def _relay(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            sent = 0
            self.database.nudge.clear()  # before reading: a commit after this wakes us again
            try:
                rows = await self._pending()
                # The lease is taken (or renewed) only when there is something to send: an
                # idle relay writes nothing, and lets the lease lapse.
                if rows and not await self.lease.acquire():
                    await sleep_or_stop(stop, self.lease.ttl.total_seconds() / 3)  # standby
                    continue
                sent = await self._publish(rows)
            except Exception as exc:  # Kafka or MongoDB away: the rows wait, nothing is lost
                log.warning("outbox relay round failed", error=repr(exc))
                await sleep_or_stop(stop, 1.0)
                continue
            if sent < self.batch:  # a full batch means more is waiting: go again at once
                await self._wait_for_work(stop)
        with contextlib.suppress(Exception):
            await self._mark_unmarked()
            await self.lease.release()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows in order and mark them sent; return how many."""
        sent = await self._publish(await self._pending())
        await self._mark_unmarked()
        return sent

    async def _publish(self, rows: list[dict[str, Any]]) -> int:
        """Send ``rows`` in order, then mark them sent (now, or with the next rounds')."""
        backlog = 0  # fewer than a batch were pending: all of them are sent now
        if rows:
            await self.producer.send_all([_outgoing(r) for r in rows])
            if not self._unmarked:
                self._unmarked_since = time.monotonic()
            self._unmarked.extend(r["_id"] for r in rows)
            if len(self._unmarked) >= self.batch or self._mark_due() <= 0:
                await self._mark_unmarked()
            OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
            if len(rows) == self.batch:  # more may wait: count them (only then: it costs)
                backlog = await self.database.outbox.count_documents({"pending": True})
        OUTBOX_BACKLOG.labels(self.service).set(backlog)
        return len(rows)

    async def _pending(self) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"pending": True}
        if self._unmarked:  # sent already: their mark is on its way
            query["_id"] = {"$nin": self._unmarked}
        cursor = self.database.outbox.find(query).sort(
            [("created_at", ASCENDING), ("seq", ASCENDING)]).limit(self.batch)
        return await cursor.to_list()

    def _mark_due(self) -> float:
        """Seconds until the rows sent must be marked."""
        return self._unmarked_since + MARK_AFTER_S - time.monotonic()

    async def _mark_unmarked(self) -> None:
        if self._unmarked:
            await self._mark_sent(self._unmarked)
            self._unmarked = []

    async def _mark_sent(self, ids: list[str]) -> None:
        await self.database.outbox.update_many(
            {"_id": {"$in": ids}}, {"$unset": {"pending": ""}, "$set": {"sent_at": utcnow()}})

    async def _wait_for_work(self, stop: asyncio.Event) -> None:
        """Until a local commit nudges us, the poll interval passes, or we are stopping;
        rows sent meanwhile are marked when their time comes."""
        if self._unmarked:
            await wake_or_stop(stop, self.database.nudge, max(self._mark_due(), 0.0))
            if self.database.nudge.is_set() or stop.is_set():
                return
            try:
                await self._mark_unmarked()
            except Exception as exc:  # MongoDB away: a later round marks them (or re-sends)
                log.warning("outbox mark failed", error=repr(exc))
                await sleep_or_stop(stop, 1.0)
                return
        # Stopping wakes it too: a stop waiting out the poll held every shutdown for 30 s.
        await wake_or_stop(stop, self.database.nudge, self.poll_s)


async def watch_outbox(database: ServiceDatabase, stop: asyncio.Event) -> None:
    """Nudge the relay whenever another process commits outbox rows (a change stream)."""
    others = [{"$match": {"operationType": "insert",
                          "fullDocument.writer": {"$ne": database.writer}}}]
    while not stop.is_set():
        try:
            async with await database.outbox.watch(others, max_await_time_ms=WATCH_AWAIT_MS
                                                   ) as stream:
                # An invalidated stream (its collection dropped) answers None at once and
                # forever, without a round trip: looping on it would starve the event loop.
                while stream.alive and not stop.is_set():
                    if await stream.try_next() is not None:
                        database.nudge.set()
            await sleep_or_stop(stop, WATCH_REOPEN_S)
        except Exception as exc:  # no change streams (or MongoDB away): the poll still runs
            log.warning("outbox change stream ended; relying on the poll", error=repr(exc))
            await sleep_or_stop(stop, 30.0)


def _outgoing(row: dict[str, Any]) -> Outgoing:
    return Outgoing(row["topic"], row["key"], row["value"], [(k, v) for k, v in row["headers"]])

