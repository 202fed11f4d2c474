"""The relay's waits: its change stream hears other writers' rows and survives losing its
collection; stopping ends its wait for work."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.relay import OutboxRelay, watch_outbox
from civiloop_platform.store.database import ServiceDatabase

pytestmark = pytest.mark.integration
HOUR_S = 3600.0


async def _row_from_another_writer(database: ServiceDatabase, row_id: str) -> None:
    # Not pending: the watcher hears any insert, and the relay has nothing to send.
    await database.outbox.insert_one({"_id": row_id, "writer": "another-replica"})


async def _nudged(database: ServiceDatabase, row_id: str) -> None:
    """Insert rows as another writer until the watcher nudges the relay (it may still be opening)."""
    for n in range(60):
        database.nudge.clear()
        await _row_from_another_writer(database, f"{row_id}-{n}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(database.nudge.wait(), 1.0)
            return
    raise AssertionError("the outbox watcher never nudged the relay")


async def test_a_dropped_outbox_invalidates_the_stream_and_the_watcher_opens_a_new_one(
        database: ServiceDatabase) -> None:
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_outbox(database, stop))
    try:
        await _nudged(database, "before")
        # Dropping the collection ends the stream; the old loop then spun without yielding,
        # so nothing else on this event loop (this test included) ran again.
        await database.outbox.drop()
        await _nudged(database, "after")
    finally:
        stop.set()
        watcher.cancel()  # as the relay does: a wait on the stream ends only with a change
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


async def test_a_relay_waiting_for_work_stops_when_asked_not_when_its_poll_ends(
        database: ServiceDatabase, producer: EventProducer) -> None:
    relay = OutboxRelay(database, producer, service="platform-tests", owner="r1",
                        poll_s=HOUR_S)
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    await _nudged(database, "idle")  # it holds the lease and waits for work
    await asyncio.sleep(0.5)
    stop.set()
    # A bound to fail on, far under the poll: the relay used to sleep the poll out.
    await asyncio.wait_for(running, HOUR_S / 60)
    assert await database.leases.count_documents({"owner": "r1"}) == 0  # released on the way out
