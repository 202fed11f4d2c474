"""The live hub on a real MongoDB-protocol server: one change stream, fanned out, bounded."""

from __future__ import annotations

import asyncio

import pytest

from civiloop_platform.live.hub import Change, ChangeHub, HubFull, Settings, Subscription
from civiloop_platform.store.database import ServiceDatabase
from tests.support import eventually

PATIENCE_S = 60.0


async def _next(sub: Subscription) -> Change:
    change = await sub.next(PATIENCE_S)
    assert change is not None, "no change arrived"
    return change


async def test_every_subscriber_gets_each_committed_change_of_the_watched_collections(
        database: ServiceDatabase) -> None:
    hub = ChangeHub(database.db, ("things",))
    try:
        first, second = await hub.subscribe(), await hub.subscribe()
        await database.db["other"].insert_one({"_id": "x"})  # not watched
        await database.db["things"].insert_one({"_id": "t1", "n": 1})
        await database.db["things"].update_one({"_id": "t1"}, {"$set": {"n": 2}})
        for sub in (first, second):
            inserted, updated = await _next(sub), await _next(sub)
            assert (inserted.collection, inserted.key, inserted.document) == (
                "things", "t1", {"_id": "t1", "n": 1})
            assert updated.document == {"_id": "t1", "n": 2}
            assert updated.seq == inserted.seq + 1
        assert first.ready_id == f"{hub.epoch}.0"
    finally:
        await hub.close()


async def test_a_resume_replays_what_was_missed_and_a_foreign_id_does_not(
        database: ServiceDatabase) -> None:
    hub = ChangeHub(database.db, ("things",))
    try:
        watcher = await hub.subscribe()
        await database.db["things"].insert_many([{"_id": f"t{i}"} for i in range(3)])
        changes = [await _next(watcher) for _ in range(3)]
        resumed = await hub.subscribe(watcher.event_id(changes[0]))
        assert resumed.resumed
        assert resumed.ready_id is None  # the browser keeps its last id
        assert [(await _next(resumed)).key for _ in range(2)] == ["t1", "t2"]
        fresh = await hub.subscribe("0000.1")
        assert not fresh.resumed
        assert fresh.ready_id == f"{hub.epoch}.3"
    finally:
        await hub.close()


async def test_a_subscriber_that_falls_behind_is_ended_and_the_others_go_on(
        database: ServiceDatabase) -> None:
    hub = ChangeHub(database.db, ("things",), Settings(queue=2))
    try:
        slow, keen = await hub.subscribe(), await hub.subscribe()
        for i in range(3):
            await database.db["things"].insert_one({"_id": f"t{i}"})
            assert (await _next(keen)).key == f"t{i}"
        assert slow.closed
        assert [await slow.next(PATIENCE_S) for _ in range(3)][-1] is None  # two, then the end
    finally:
        await hub.close()


async def test_streams_are_bounded_per_replica(database: ServiceDatabase) -> None:
    hub = ChangeHub(database.db, ("things",), Settings(max_subscribers=1))
    try:
        only = await hub.subscribe()
        with pytest.raises(HubFull):
            await hub.subscribe()
        only.close()
        await hub.subscribe()
    finally:
        await hub.close()


async def test_the_feed_closes_when_nobody_listens_and_reopens_as_a_new_epoch(
        database: ServiceDatabase) -> None:
    hub = ChangeHub(database.db, ("things",), Settings(idle_close_s=0))
    try:
        sub = await hub.subscribe()
        epoch, task = hub.epoch, hub._task
        assert task is not None
        sub.close()

        async def closed() -> bool:
            # The feed notices between two waits; a write elsewhere ends the current wait.
            await database.db["other"].insert_one({})
            return task.done()
        await eventually(closed, within_s=PATIENCE_S)
        again = await hub.subscribe(f"{epoch}.0")
        assert not again.resumed
        assert hub.epoch != epoch
        await database.db["things"].insert_one({"_id": "after"})
        assert (await _next(again)).key == "after"
    finally:
        await hub.close()


async def test_a_change_is_decoded_once_for_all_its_subscribers() -> None:
    calls = 0

    async def decode() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        return 7

    change = Change(1, "things", "t1", {"_id": "t1", "version": 3, "n": 1})
    assert await asyncio.gather(*(change.shared("n", decode) for _ in range(5))) == [7] * 5
    assert calls == 1
    assert change.fields() == {"n": 1}
