"""Leases on a real MongoDB-protocol server: one holder at a time, taken over after expiry."""

from __future__ import annotations

import asyncio

import pytest

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.leases import Lease

pytestmark = pytest.mark.integration


async def test_only_one_replica_holds_a_lease_at_a_time(database: ServiceDatabase) -> None:
    replicas = [Lease(database.leases, "deadline-timer", f"replica-{i}", ttl_s=30) for i in range(5)]
    held = await asyncio.gather(*(lease.acquire() for lease in replicas))
    assert sum(held) == 1
    holder = replicas[held.index(True)]
    assert await holder.acquire()  # the holder renews
    assert not any([await r.acquire() for r in replicas if r is not holder])


async def test_a_lease_whose_holder_died_is_taken_over_after_expiry(
        database: ServiceDatabase) -> None:
    dead = Lease(database.leases, "relay", "replica-dead", ttl_s=0.5)
    alive = Lease(database.leases, "relay", "replica-alive", ttl_s=30)
    assert await dead.acquire()
    assert not await alive.acquire()
    await asyncio.sleep(0.7)
    assert await alive.acquire()
    assert not await dead.acquire()


async def test_a_released_lease_is_free_at_once(database: ServiceDatabase) -> None:
    first = Lease(database.leases, "relay", "replica-1", ttl_s=30)
    second = Lease(database.leases, "relay", "replica-2", ttl_s=30)
    assert await first.acquire()
    await first.release()
    assert await second.acquire()


async def test_a_holder_renews_only_once_a_third_of_the_ttl_has_passed(
        database: ServiceDatabase) -> None:
    lease = Lease(database.leases, "relay", "replica-1", ttl_s=0.9)
    assert await lease.acquire()
    first = await database.leases.find_one({"_id": "relay"})
    assert await lease.acquire()  # at once: still held, nothing written
    assert await database.leases.find_one({"_id": "relay"}) == first
    await asyncio.sleep(0.4)
    assert await lease.acquire()
    renewed = await database.leases.find_one({"_id": "relay"})
    assert first is not None
    assert renewed is not None
    assert renewed["expires_at"] > first["expires_at"]
