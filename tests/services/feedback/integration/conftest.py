"""The feedback service running on real Kafka and MongoDB, for this package's tests."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from civiloop_contracts.codec import decode, encode
from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import dlq_of
from civiloop_feedback.bootstrap import DESCRIPTION, build_spec
from civiloop_feedback.config import Settings
from civiloop_feedback.entrypoints.api import router
from civiloop_feedback.entrypoints.refusals import REFUSALS
from civiloop_platform.auth import mint_token
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.runtime import Runtime
from civiloop_platform.settings import DEV_AUTH_SECRET
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import topic_of
from civiloop_platform.web import create_app
from tests.support import drop_when_done, eventually, started_producer


@dataclass
class Feedback:
    """The running service: its HTTP client, its database, and a producer for other services."""

    http: httpx.AsyncClient
    database: ServiceDatabase
    producer: EventProducer
    bootstrap: str

    async def send(self, payload: Payload, *, time: datetime | None = None,
                   source: str = "/test/loop", event_id: str | None = None) -> Envelope:
        """Publish ``payload`` on its topic as its owner would."""
        event = make_event(payload, source=source, time=time, event_id=event_id)
        await self.send_envelope(event)
        return event

    async def send_envelope(self, event: Envelope) -> None:
        """Publish ``event`` exactly as given (a frontend resending keeps its id)."""
        record = encode(event)
        await self.producer.send_all(
            [Outgoing(topic_of(event), record.key, record.value, record.headers)])

    async def wait_for_order(self, order_id: str, *, served: bool = True) -> None:
        """Until the read model knows the order (and, if ``served``, its completion)."""
        query: dict[str, Any] = {"_id": order_id, "placement": {"$ne": None}}
        if served:
            query["service"] = {"$ne": None}
        orders = self.database.db["orders"]
        await eventually(lambda: _exists(orders, query))

    async def outbox(self, order_id: str) -> list[Envelope]:
        """Every event this service published (or will) about the order, oldest first."""
        cursor = self.database.outbox.find({"key": order_id.encode()}).sort(
            [("created_at", 1), ("seq", 1)])
        return [decode(row["value"]) async for row in cursor]


async def _exists(collection: Any, query: dict[str, Any]) -> bool:
    found: int = await collection.count_documents(query)
    return found > 0


def token(role: str, subject: str, station: str | None = None,
          institute: str | None = None) -> dict[str, str]:
    """The Authorization header of a development token."""
    value = mint_token(DEV_AUTH_SECRET, subject=subject, role=role, station=station,
                       institute=institute)
    return {"Authorization": f"Bearer {value}"}


async def on_topic(bootstrap: str, topic: str, key: str, types: list[str],
                   within_s: float = 60.0) -> list[Envelope]:
    """The events of ``key`` on ``topic`` once every type in ``types`` has appeared."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    found: list[Envelope] = []
    try:
        deadline = asyncio.get_running_loop().time() + within_s
        while not set(types) <= {e.type for e in found}:
            if asyncio.get_running_loop().time() > deadline:
                pytest.fail(f"{types} for {key} not on {topic} within {within_s} s")
            batch = await consumer.getmany(timeout_ms=500)
            found += [decode(r.value, r.headers) for rs in batch.values() for r in rs
                      if r.key == key.encode()]
        return found
    finally:
        await consumer.stop()


async def dead_letters(bootstrap: str, topic: str, key: str,
                       within_s: float = 60.0) -> list[dict[str, str]]:
    """The headers of the dead letters of ``key`` on ``topic``'s DLQ, once there is one."""
    consumer = AIOKafkaConsumer(dlq_of(topic), bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    found: list[dict[str, str]] = []
    try:
        deadline = asyncio.get_running_loop().time() + within_s
        while not found:
            if asyncio.get_running_loop().time() > deadline:
                pytest.fail(f"no dead letter for {key} on {dlq_of(topic)} within {within_s} s")
            batch = await consumer.getmany(timeout_ms=500)
            found += [{k: v.decode() for k, v in r.headers} for rs in batch.values()
                      for r in rs if r.key == key.encode()]
        return found
    finally:
        await consumer.stop()


@pytest.fixture(scope="module")
async def feedback(infra: Any) -> AsyncIterator[Feedback]:
    """The feedback service with its own database and consumer groups, swept every 0.3 s;
    a rating for an order not known waits 30 s for it."""
    await ensure_topics(infra.kafka_bootstrap, 3)  # every catalogue topic, as `make topics`
    run = uuid.uuid4().hex[:8]
    settings = Settings(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                        mongo_db=f"civiloop_test_feedback_{run}", civiloop_env="test",
                        instance_id=f"fb-{run}", lapse_sweep_s=0.3, outbox_poll_s=0.1,
                        unknown_order_wait_min=0.5)
    spec = build_spec(settings)
    # Groups of their own: a static member another test left behind would hold partitions.
    spec.subscriptions = [dataclasses.replace(s, group=f"{s.group}-{run}")
                          for s in spec.subscriptions]
    app = create_app(spec, routers=[router], title="civiloop feedback", description=DESCRIPTION,
                     refusals=REFUSALS)
    app.state.policy = settings.policy()
    runtime: Runtime = app.state.runtime
    await runtime.start()
    try:
        await eventually(lambda: _ready(runtime))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://feedback") as http, \
                started_producer(infra.kafka_bootstrap, f"feedback-tests-{run}") as producer:
            yield Feedback(http, runtime.database, producer, infra.kafka_bootstrap)
    finally:
        await runtime.stop()
        drop_when_done(settings.database)


async def _ready(runtime: Runtime) -> bool:
    return all((await runtime.readiness()).values())
