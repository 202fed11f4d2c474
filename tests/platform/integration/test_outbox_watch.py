"""The relay's change stream: it hears other writers' outbox rows and survives losing its collection."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from civiloop_platform.relay import watch_outbox
from civiloop_platform.store.database import ServiceDatabase

pytestmark = pytest.mark.integration


async def _row_from_another_writer(database: ServiceDatabase, row_id: str) -> None:
    await database.outbox.insert_one({"_id": row_id, "writer": "another-replica",
                                      "pending": True})


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
