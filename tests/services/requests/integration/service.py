"""The requests service running in-process on real Kafka and MongoDB, with a client and tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from civiloop_contracts.codec import decode
from civiloop_contracts.envelope import Envelope
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.runtime import Runtime
from civiloop_platform.settings import DEV_AUTH_SECRET
from civiloop_requests.bootstrap import build_app
from civiloop_requests.config import Settings
from tests.support import drop_when_done, eventually

CENTRE, INSTITUTE, STATION, OTHER_STATION = "kunqu", "kunhe", "wanhe-yangguang", "kunhe-dongcun"
TREE = (
    (CENTRE, {"name": "昆区新时代文明实践中心", "level": "centre"}),
    (INSTITUTE, {"name": "昆河镇新时代文明实践所", "level": "institute", "parent": CENTRE}),
    (STATION, {"name": "万和阳光社区实践站", "level": "station", "parent": INSTITUTE}),
    (OTHER_STATION, {"name": "东村实践站", "level": "station", "parent": INSTITUTE}),
)
"""The units the tests' orders name, parents first (orders elsewhere are refused)."""


@dataclass
class RunningService:
    """The app, an HTTP client on it, and what tests need to look inside."""

    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings

    @property
    def runtime(self) -> Runtime:
        """The running service's runtime (database, producer, consumers)."""
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def new_station(self) -> str:
        """A station of its own for one test (under the Kunhe institute), defined in the tree."""
        code = f"st-{uuid.uuid4().hex[:6]}"
        await define_units(self.client, ((code, {"name": f"实践站 {code}", "level": "station",
                                                 "parent": INSTITUTE}),))
        return code

    async def published(self, key: str, event_type: str | None = None) -> list[Envelope]:
        """Events the service wrote to its outbox for ``key`` (optionally of one type)."""
        rows = self.runtime.database.outbox.find({"key": key.encode()}).sort(
            [("created_at", 1), ("seq", 1)])
        events = [decode(row["value"]) async for row in rows]
        return [e for e in events if event_type is None or e.type == event_type]


def token(role: str, subject: str = "", station: str | None = None,
          institute: str | None = None) -> dict[str, str]:
    """An Authorization header for ``role`` (subject defaults to a fresh id)."""
    subject = subject or f"{role}-{uuid.uuid4().hex[:8]}"
    return {"Authorization": "Bearer " + mint_token(DEV_AUTH_SECRET, subject=subject, role=role,
                                                    station=station, institute=institute)}


def station_operator(station: str = STATION) -> dict[str, str]:
    """A station operator of ``station`` (in the Kunhe institute)."""
    return token("station_operator", station=station, institute=INSTITUTE)


async def define_units(client: httpx.AsyncClient,
                       units: tuple[tuple[str, dict[str, str]], ...]) -> None:
    """Define ``units`` (parents first) as the district admin does."""
    for code, body in units:
        reply = await client.put(f"/api/v1/requests/units/{code}", json=body,
                                 headers=token("district_admin"))
        assert reply.status_code in (200, 201), reply.text


@asynccontextmanager
async def running_requests(infra: Any) -> AsyncIterator[RunningService]:
    """Start the service on a fresh database; ready (consumers joined) when it yields."""
    settings = Settings(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                        mongo_db=f"civiloop_test_requests_{uuid.uuid4().hex[:8]}",
                        civiloop_env="test", instance_id="test-requests")
    await ensure_topics(infra.kafka_bootstrap, 3)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://requests") as client:
            async def ready() -> bool:
                return (await client.get("/readyz")).status_code == 200
            await eventually(ready, within_s=90)
            await define_units(client, TREE)
            yield RunningService(app, client, settings)
    drop_when_done(settings.database)
