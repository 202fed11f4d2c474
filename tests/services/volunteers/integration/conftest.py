"""One running volunteers service for the integration tests, on real Kafka and MongoDB.

The app runs as in production (its lifespan starts the relay and the consumer); tests call
it over HTTP in process and play dispatch and requests by producing their events.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from civiloop_contracts.codec import encode
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import DISPATCH, REQUESTS, VOLUNTEERS, dlq_of
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.messages import Subscription
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.store.database import ServiceDatabase
from civiloop_volunteers.adapters.repositories import ensure_indexes
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.app.handlers import ORDER_HANDLERS
from civiloop_volunteers.bootstrap import assemble
from civiloop_volunteers.config import Settings
from tests.support import drop_when_done, eventually, started_producer

THRESHOLDS = (1.0, 4.0, 6.0, 8.0, 10.0)
"""Small star thresholds, so one service crosses one."""


NEIGHBOUR = "/test/neighbour"  # the source of what tests publish (inbox keys include it)


@dataclass
class Service:
    """The running service, a client to it, and a producer standing in for its neighbours."""

    app: FastAPI
    http: httpx.AsyncClient
    producer: EventProducer
    database: ServiceDatabase
    bootstrap: str
    group: str
    phones: set[str]
    id_numbers: set[str]

    async def send(self, *payloads: Payload) -> list[str]:
        """Publish events as dispatch or requests would; their event ids."""
        envelopes = [make_event(payload, source=NEIGHBOUR) for payload in payloads]
        records = []
        for envelope, payload in zip(envelopes, payloads, strict=True):
            record = encode(envelope)
            records.append(Outgoing(type(payload).topic, record.key, record.value,
                                    record.headers))
        await self.producer.send_all(records)
        return [envelope.id for envelope in envelopes]

    async def applied(self, event_id: str) -> None:
        """Wait until the service's consumer applied the event (its inbox holds it)."""
        async def seen() -> bool:
            return await self.database.inbox.count_documents(
                {"_id": f"{self.group}:{NEIGHBOUR}:{event_id}"}) == 1
        await eventually(seen)

    async def offered(self, assignment_id: str, check: Callable[[dict[str, Any]], bool]
                      = lambda _: True) -> None:
        """Wait until the service knows the assignment (and ``check`` holds of it)."""
        async def known() -> bool:
            found = await self.database.db["offers"].find_one({"_id": assignment_id})
            return found is not None and check(found)
        await eventually(known)

    async def backdate_accepts(self, assignment_id: str, at: datetime) -> None:
        """Make every accept of the assignment have happened at ``at`` (a past accept, as the
        service's clock cannot be set back)."""
        offers = self.database.db["offers"]
        found = await offers.find_one({"_id": assignment_id})
        assert found is not None
        assert found["accepted"], "accept the assignment first"
        await offers.update_one({"_id": assignment_id}, {"$set": {
            f"accepted.{i}.at": at.isoformat() for i in range(len(found["accepted"]))}})

    async def register(self, headers: dict[str, str], body: dict[str, Any]) -> str:
        """Register a volunteer; their id (their phone and ID number are remembered)."""
        self.phones.add(body["phone"])
        self.id_numbers.add(body["id_number"])
        reply = await self.http.post("/api/v1/volunteers", json=body, headers=headers)
        assert reply.status_code == 201, reply.text
        return str(reply.json()["volunteer_id"])


@pytest.fixture(scope="package")
async def service(infra: Any) -> AsyncIterator[Service]:
    """The volunteers service with its own database and consumer group, running."""
    topics = [n for t in (DISPATCH, REQUESTS, VOLUNTEERS) for n in (t, dlq_of(t))]
    await ensure_topics(infra.kafka_bootstrap, 3, names=topics)
    settings = Settings(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                        mongo_db=f"civiloop_test_volunteers_{uuid.uuid4().hex[:8]}",
                        civiloop_env="test", star_thresholds_h=THRESHOLDS, outbox_poll_s=0.1)
    group = f"volunteers-orders-{uuid.uuid4().hex[:8]}"
    spec = ServiceSpec(settings=settings, subscriptions=[
        Subscription(group, [DISPATCH, REQUESTS], ORDER_HANDLERS)],
        unit_of_work=VolunteersUnitOfWork, indexes=ensure_indexes)
    app = assemble(spec)
    async with (app.router.lifespan_context(app),
                started_producer(infra.kafka_bootstrap, "volunteers-tests") as producer,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                  base_url="http://volunteers") as http):
        async def ready() -> bool:
            return (await http.get("/readyz")).status_code == 200
        await eventually(ready)
        runtime = app.state.runtime
        yield Service(app, http, producer, runtime.database, infra.kafka_bootstrap, group,
                      set(), set())
    drop_when_done(settings.database)
