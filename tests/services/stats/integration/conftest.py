"""A running stats service on real Kafka and MongoDB, fed the known stream once per session."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn

from civiloop_contracts.codec import encode
from civiloop_contracts.events.units import UnitDefined
from civiloop_contracts.payload import make_event
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import Outgoing
from civiloop_stats.bootstrap import build_app
from civiloop_stats.config import Settings
from civiloop_stats.entrypoints.subscriptions import TOPICS
from tests.services.stats.stream import MAY_31, District, known_stream
from tests.support import drop_when_done, eventually, started_producer

DEFINED = datetime(2024, 1, 1, tzinfo=UTC)  # when requests defined the test district's units


@dataclass
class StatsService:
    """Where the test service listens, its settings, and the district it was fed."""

    url: str
    settings: Settings
    district: District

    def token(self, role: str, *, station: str | None = None,
              institute: str | None = None) -> dict[str, str]:
        """An Authorization header for a caller of ``role`` bound to a unit."""
        token = mint_token(self.settings.auth_secret.get_secret_value(), subject=f"{role}-1",
                           role=role, station=station, institute=institute)
        return {"Authorization": f"Bearer {token}"}

    @property
    def admin(self) -> dict[str, str]:
        """The district admin's header."""
        return self.token("district_admin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def stats_server(infra: Any) -> Iterator[tuple[str, Settings]]:
    """The stats app under uvicorn on a free local port, on a database of its own."""
    asyncio.run(ensure_topics(infra.kafka_bootstrap, 3))  # what `make topics` does
    settings = Settings(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                        mongo_db=f"civiloop_test_stats_{uuid.uuid4().hex[:8]}",
                        stats_group=f"stats-test-{uuid.uuid4().hex[:8]}", civiloop_env="test")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(settings), host="127.0.0.1", port=port,
                                           log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, name="stats-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        pytest.fail("the stats service did not get ready within 90 s")
    try:
        yield url, settings
    finally:
        server.should_exit = True
        thread.join(60)
        drop_when_done(settings.database)


async def _figure(url: str, headers: dict[str, str], unit: str, key: str, as_of: str) -> Any:
    async with httpx.AsyncClient(base_url=url, headers=headers) as client:
        reply = await client.get("/api/v1/stats/figures", params={"unit": unit, "as_of": as_of})
    return reply.json()["figures"][key] if reply.status_code == 200 else None


@pytest.fixture(scope="session")
async def stats(stats_server: tuple[str, Settings], infra: Any) -> StatsService:
    """The running service with the test district's tree set and its known stream consumed."""
    url, settings = stats_server
    service = StatsService(url, settings, District())
    d = service.district
    async with httpx.AsyncClient(base_url=url, headers=service.admin) as client:
        for code, body in d.units():  # stats' own figures; the tree comes from requests
            if body.get("population"):
                reply = await client.put(f"/api/v1/stats/units/{code}",
                                         json={"population": body["population"]})
                assert reply.status_code == 200, reply.text
    records = []
    tree = [(UnitDefined(unit_id=code, **{k: v for k, v in body.items() if k != "population"}),
             DEFINED) for code, body in d.units()]
    for i, (payload, at) in enumerate([*tree, *known_stream(d)]):
        envelope = make_event(payload, source="/test/stats", time=at)
        # Redelivery: every 5th event arrives twice as is (the inbox drops it), every 7th is
        # republished under a new id (the natural keys of the read models absorb it).
        copies = [envelope] * (2 if i % 5 == 0 else 1)
        if i % 7 == 0:
            copies.append(make_event(payload, source="/test/stats", time=at))
        for copy in copies:
            record = encode(copy)
            records.append(Outgoing(type(payload).topic, record.key, record.value,
                                    record.headers))
    assert {r.topic for r in records} <= set(TOPICS)
    async with started_producer(infra.kafka_bootstrap, "stats-tests") as producer:
        await producer.send_all(records)
    # The last events of each kind have arrived when these figures are right.

    async def settled() -> bool:
        checks = {"orders_placed": 7, "orders_dispatched": 5, "registered_volunteers": 5,
                  "service_hours": 12.0, "honours": 2, "open_follow_ups": 1, "teams": 1}
        for key, want in checks.items():
            if await _figure(url, service.admin, d.centre, key, "2025-12-31") != want:
                return False
        async with httpx.AsyncClient(base_url=url, headers=service.admin) as client:
            demand = await client.get("/api/v1/stats/tables/survey-demand",
                                      params={"unit": d.centre, "as_of": MAY_31})
            units = await client.get("/api/v1/stats/units")
        answers: int = sum(r["answers"] for r in demand.json()["rows"])
        return answers == 5 and len(units.json()) == len(tree)

    await eventually(settled, within_s=90)
    return service
