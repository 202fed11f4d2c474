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
