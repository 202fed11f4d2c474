"""Fixtures for the platform's integration tests: a fresh database and topics per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from civiloop_contracts.topics import dlq_of
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.store.database import ServiceDatabase
from tests.platform.probe import PROBE_TOPIC
from tests.support import started_producer, throwaway_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    """A service database of its own for this test, dropped afterwards."""
    async with throwaway_database(infra.mongo_url, "platform") as db:
        yield db


@pytest.fixture
async def producer(infra: Any) -> AsyncIterator[EventProducer]:
    """A started idempotent producer."""
    async with started_producer(infra.kafka_bootstrap, "platform-tests") as p:
        yield p


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

