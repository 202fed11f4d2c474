"""The five services as their own processes on the test infra, with HTTP helpers per service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from civiloop_devstack import gateway, services
from civiloop_devstack.testinfra import free_ports
from civiloop_platform.kafka.admin import ensure_topics

STARTUP_S = 120.0


@dataclass
class Stack:
    """Running services by name, each at its own URL, and the database names they use."""

    urls: dict[str, str]
    databases: dict[str, str]
    mongo_url: str
    gateway: str = ""

    def client(self, name: str) -> httpx.Client:
        """A client on service ``name``."""
        return httpx.Client(base_url=self.urls[name], timeout=30)


@contextmanager
def running_stack(kafka_bootstrap: str, mongo_url: str, log_dir: Path) -> Iterator[Stack]:
    """Start every service as ``python -m civiloop_<name>`` on fresh databases; stop them after."""
    run = uuid.uuid4().hex[:8]
    backends = services.Backends(kafka_bootstrap, mongo_url, 3, log_dir)
    ports = free_ports(len(services.NAMES) + 1)
    databases = {name: f"civiloop_e2e_{name}_{run}" for name in services.NAMES}
    asyncio.run(ensure_topics(kafka_bootstrap, 3))  # what `make topics` does
    running: list[services.Service] = []
    try:
        for name, port in zip(services.NAMES, ports, strict=False):
            running.append(services.start(backends, name, port, extra_env={
                "MONGO_DB": databases[name], "INSTANCE_ID": f"e2e-{name}-{run}",
                # Deadlines and sweeps fast enough for a test to see them.
                "DEADLINE_POLL_S": "0.5", "LAPSE_SWEEP_S": "1",
                # Live streams ping often, so a test's reader notices its close soon.
                "LIVE_PING_S": "2"}))
        services.wait_healthy(running, STARTUP_S)
        urls = {s.name: s.url for s in running}
        # The gateway in front, as `make run` starts it (its state under the log folder).
        running.append(gateway.start(ports[-1], {s.name: s.port for s in running},
                                     log_dir / f"gateway-{run}"))
        services.wait_healthy(running, STARTUP_S)
        if not services.wait_ready(running[:-1], STARTUP_S):
            raise AssertionError(f"the services were not ready within {STARTUP_S:.0f} s")
        yield Stack(urls, databases, mongo_url, running[-1].url)
    finally:
        services.stop(running)
