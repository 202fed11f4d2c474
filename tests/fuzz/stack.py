"""The five services running in process on the real Kafka and MongoDB, for the HTTP-edge tests.

Each service starts once for the package's tests, the first time a test asks for it, inside
schemathesis' ASGI runner (its lifespan starts the runtime; every request runs on that same
event loop), and stops after the package's last test with its database dropped.
"""

from __future__ import annotations

import asyncio
import importlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from requests import Session
from schemathesis.python import asgi

from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.settings import DEV_AUTH_SECRET
from tests.support import drop_when_done

SERVICES = ("requests", "dispatch", "volunteers", "feedback", "stats")
CENTRE, INSTITUTE, STATION = "kunqu", "kunhe", "wanhe-yangguang"
ROLES: dict[str, dict[str, str]] = {
    "resident": {},
    "volunteer": {},
    "team_leader": {},
    "station_operator": {"station": STATION, "institute": INSTITUTE},
    "dispatcher": {"institute": INSTITUTE},
    "district_admin": {},
    "service": {},
}
"""Every role, bound to a unit where the role is (a valid token of each)."""


def bearer(role: str, subject: str = "") -> dict[str, str]:
    """The Authorization header of a valid development token for ``role``."""
    unit = ROLES[role]
    token = mint_token(DEV_AUTH_SECRET, subject=subject or f"{role}-fuzz", role=role,
                       station=unit.get("station"), institute=unit.get("institute"))
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Running:
    """One service: its app, its OpenAPI schema for schemathesis, and a client into it."""

    name: str
    app: FastAPI
    schema: Any
    client: Session
    database: str


class Services:
    """Starts a service the first time it is asked for; stops them all at the end."""

    def __init__(self, infra: Any) -> None:
        self.infra = infra
        self.running: dict[str, Running] = {}

    def __getitem__(self, name: str) -> Running:
        if name not in self.running:
            self.running[name] = self._start(name)
        return self.running[name]

    def _start(self, name: str) -> Running:
        settings_cls = importlib.import_module(f"civiloop_{name}.config").Settings
        build_app = importlib.import_module(f"civiloop_{name}.bootstrap").build_app
        suffix = uuid.uuid4().hex[:8]
        extra = {"dispatch": {"consumer_group": f"dispatch-fuzz-{suffix}"},
                 "stats": {"stats_group": f"stats-fuzz-{suffix}"}}.get(name, {})
        settings = settings_cls(kafka_bootstrap=self.infra.kafka_bootstrap,
                                mongo_url=self.infra.mongo_url,
                                mongo_db=f"civiloop_test_fuzz_{name}_{suffix}",
                                civiloop_env="test", instance_id=f"test-{name}", **extra)
        asyncio.run(ensure_topics(self.infra.kafka_bootstrap, 3))
        app = build_app(settings)
        # Loading the schema starts the app's lifespan; a live (SSE) reply ends at its first event.
        schema = schemathesis.openapi.from_asgi(f"/api/v1/{name}/openapi.json", app)
        client = asgi.get_client(app, max_stream_events=1)
        _wait_ready(client, 90)
        if name == "requests":
            _define_units(client)
        return Running(name, app, schema, client, settings.database)

    def stop(self) -> None:
        """Stop every started service (their lifespans); the session drops their databases."""
        try:
            asgi.shutdown_lifespans()
        finally:
            for running in self.running.values():
                drop_when_done(running.database)


def _define_units(client: Session) -> None:
    """The centre, institute and station the tokens name: orders must name known units."""
    for code, level, parent in ((CENTRE, "centre", None), (INSTITUTE, "institute", CENTRE),
                                (STATION, "station", INSTITUTE)):
        reply = client.put(f"/api/v1/requests/units/{code}", headers=bearer("district_admin"),
                           json={"name": code, "level": level, "parent": parent})
        assert reply.status_code in (200, 201), reply.text


def _wait_ready(client: Session, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while (ready := client.get("/readyz")).status_code != 200:
        if time.monotonic() > deadline:
            pytest.fail(f"not ready within {seconds} s: {ready.text}")
        time.sleep(0.5)

