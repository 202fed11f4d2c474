"""The five services as their own processes on the test infra, with HTTP helpers per service."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from civiloop_devstack import services
from civiloop_devstack.testinfra import free_ports
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.settings import DEV_AUTH_SECRET

STARTUP_S = 120.0


@dataclass
class Stack:
    """Running services by name, each at its own URL, and the database names they use."""

    urls: dict[str, str]
    databases: dict[str, str]
    mongo_url: str

    def client(self, name: str) -> httpx.Client:
        """A client on service ``name``."""
        return httpx.Client(base_url=self.urls[name], timeout=30)


def bearer(role: str, subject: str, station: str | None = None,
           institute: str | None = None) -> dict[str, str]:
    """An Authorization header for a development token."""
    return {"Authorization": "Bearer " + mint_token(
        DEV_AUTH_SECRET, subject=subject, role=role, station=station, institute=institute)}


@contextmanager
def running_stack(kafka_bootstrap: str, mongo_url: str, log_dir: Path) -> Iterator[Stack]:
    """Start every service as ``python -m civiloop_<name>`` on fresh databases; stop them after."""
    run = uuid.uuid4().hex[:8]
    backends = services.Backends(kafka_bootstrap, mongo_url, 3, log_dir)
    ports = free_ports(len(services.NAMES))
    databases = {name: f"civiloop_e2e_{name}_{run}" for name in services.NAMES}
    asyncio.run(ensure_topics(kafka_bootstrap, 3))  # what `make topics` does
    running: list[services.Service] = []
    try:
        for name, port in zip(services.NAMES, ports, strict=True):
            running.append(services.start(backends, name, port, extra_env={
                "MONGO_DB": databases[name], "INSTANCE_ID": f"e2e-{name}-{run}",
                # Deadlines and sweeps fast enough for a test to see them.
                "DEADLINE_POLL_S": "0.5", "LAPSE_SWEEP_S": "1"}))
        services.wait_healthy(running, STARTUP_S)
        stack = Stack({s.name: s.url for s in running}, databases, mongo_url)
        _wait_ready(stack)
        yield stack
    finally:
        services.stop(running)


def _wait_ready(stack: Stack) -> None:
    """Block until every service's consumers have joined (``/readyz`` is 200)."""
    deadline = time.monotonic() + STARTUP_S
    waiting = set(stack.urls)
    while waiting and time.monotonic() < deadline:
        for name in list(waiting):
            try:
                if httpx.get(f"{stack.urls[name]}/readyz", timeout=5).status_code == 200:
                    waiting.discard(name)
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    if waiting:
        raise AssertionError(f"not ready within {STARTUP_S:.0f} s: {sorted(waiting)}")


def until(check: Any, within_s: float = 90.0, what: str = "condition") -> Any:
    """Poll ``check()`` until it returns something truthy; that value, or fail naming ``what``."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {within_s:.0f} s")
