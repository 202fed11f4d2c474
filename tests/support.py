"""Helpers shared by integration tests: throw-away databases, producers, waiting, reading."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from civiloop_platform.consumer_loop import EventConsumer
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.messages import Subscription
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client
from civiloop_platform.store.unit_of_work import MongoUnitOfWork

LEFT_DATABASES: set[str] = set()
"""The tests' databases, dropped by the ``infra`` fixture once every test is done."""


def drop_when_done(database: str) -> None:
    """Have the session drop ``database`` after its last test, never while a test runs.

    SecantusDB's dropDatabase takes the lock of every collection of the database and then
    retries its purge for as long as a transaction on the database is open, while that
    transaction waits for those locks: the whole server stops answering. A test's services
    may still have a transaction open (or a cancelled one not yet aborted) when its teardown
    runs, which stopped CI at ~40 minutes; so no test drops a database itself.
    """
    LEFT_DATABASES.add(database)


@asynccontextmanager
async def throwaway_database(mongo_url: str, prefix: str) -> AsyncIterator[ServiceDatabase]:
    """A service database with a unique name and the platform's indexes, dropped at the end."""
    client = make_client(mongo_url)
    db = ServiceDatabase(client, f"civiloop_test_{prefix}_{uuid.uuid4().hex[:10]}")
    await db.ensure_indexes()
    try:
        yield db
    finally:
        drop_when_done(db.db.name)
        await client.close()


@asynccontextmanager
async def started_producer(bootstrap: str, client_id: str) -> AsyncIterator[EventProducer]:
    """An idempotent producer, started, and stopped afterwards."""
    producer = EventProducer(bootstrap, client_id, send_timeout_s=15, stop_timeout_s=10)
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def eventually(check: Callable[[], Awaitable[bool]], *, within_s: float = 60.0) -> None:
    """Wait until ``check()`` is true; fail the test if it is not within ``within_s``."""
    deadline = asyncio.get_running_loop().time() + within_s
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"condition not met within {within_s} s")
        await asyncio.sleep(0.1)


async def read_all(bootstrap: str, topic: str, *, expect: int,
                   within_s: float = 30.0) -> list[Any]:
    """Every record on ``topic`` from the start, once at least ``expect`` have arrived."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + within_s
        while len(records) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            records += [r for rs in batch.values() for r in rs]
        return records
    finally:
        await consumer.stop()


@asynccontextmanager
async def consuming(sub: Subscription, *, bootstrap: str, producer: EventProducer,
                    uow_factory: Callable[[], MongoUnitOfWork]) -> AsyncIterator[EventConsumer]:
    """Run ``sub`` as a service replica would, until the block ends (then stop gracefully)."""
    consumer = EventConsumer(sub, bootstrap=bootstrap, instance_id="replica-1",
                             service="test", producer=producer, uow_factory=uow_factory)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield consumer
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
