"""Fixtures for the platform's integration tests: a fresh database and topics per test."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from civiloop_contracts.topics import dlq_of
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client
from tests.platform.probe import PROBE_TOPIC

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    """A service database of its own for this test, dropped afterwards."""
    client = make_client(infra.mongo_url)
    db = ServiceDatabase(client, f"civiloop_test_{uuid.uuid4().hex[:10]}")
    await db.ensure_indexes()
    yield db
    await client.drop_database(db.db.name)
    await client.close()


@pytest.fixture
async def producer(infra: Any) -> AsyncIterator[EventProducer]:
    """A started idempotent producer."""
    p = EventProducer(infra.kafka_bootstrap, "platform-tests", send_timeout_s=15,
                      stop_timeout_s=10)
    await p.start()
    yield p
    await p.stop()


@pytest.fixture
async def topic(infra: Any) -> str:
    """A fresh topic (and its DLQ) with three partitions, for tests that write raw records."""
    name = f"platform-raw.{uuid.uuid4().hex[:10]}.v1"
    await ensure_topics(infra.kafka_bootstrap, 3, names=[name, dlq_of(name)])
    return name


@pytest.fixture(scope="session")
async def probe_topic(infra: Any) -> str:
    """The probe event's topic, created once per session."""
    await ensure_topics(infra.kafka_bootstrap, 3, names=[PROBE_TOPIC, dlq_of(PROBE_TOPIC)])
    return PROBE_TOPIC


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
