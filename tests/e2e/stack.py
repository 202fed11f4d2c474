"""The five services as their own processes on the test infra, with HTTP helpers per service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    replicas: dict[str, list[str]] = field(default_factory=dict)
    """Each service's replicas' URLs (the first is ``urls[name]``)."""
    run: str = ""
    """This stack's own mark, in its database names."""
    processes: dict[str, services.Service] = field(default_factory=dict)
    """Each replica's process by label (``requests``, ``requests-2``…), to stop or restart."""

    def client(self, name: str) -> httpx.Client:
        """A client on service ``name``."""
        return httpx.Client(base_url=self.urls[name], timeout=30)


@contextmanager
def running_stack(kafka_bootstrap: str, mongo_url: str, log_dir: Path,
                  replicas: int = 1) -> Iterator[Stack]:
    """Start every service as ``python -m civiloop_<name>`` on fresh databases, ``replicas``
    processes of each (one database and consumer group per service); stop them after."""
    run = uuid.uuid4().hex[:8]
    backends = services.Backends(kafka_bootstrap, mongo_url, 3, log_dir)
    ports = iter(free_ports(len(services.NAMES) * replicas + 1))
    databases = {name: f"civiloop_e2e_{name}_{run}" for name in services.NAMES}
    asyncio.run(ensure_topics(kafka_bootstrap, 3))  # what `make topics` does
    running: list[services.Service] = []
    try:
        for k in range(1, replicas + 1):
            for name in services.NAMES:
                # Each replica its own INSTANCE_ID (static membership tells them apart by it),
                # the same in every stack of the session: a later stack's member takes the
                # last one's place in the group at once, where a new id waited ~30 s for the
                # departed static member's session to time out.
                label = name if k == 1 else f"{name}-{k}"
                running.append(services.start(backends, name, next(ports), label=label,
                                              extra_env={
                    "MONGO_DB": databases[name], "INSTANCE_ID": f"test-{label}",
                    # Deadlines and sweeps fast enough for a test to see them.
                    "DEADLINE_POLL_S": "0.5", "LAPSE_SWEEP_S": "1",
                    # Live streams ping often, so a test's reader notices its close soon.
                    "LIVE_PING_S": "2"}))
        services.wait_healthy(running, STARTUP_S)
        first = running[:len(services.NAMES)]
        # The gateway in front of the first replicas, as `make run` starts it (its state
        # under the log folder).
        front = gateway.start(next(ports), {s.name: s.port for s in first},
                              log_dir / f"gateway-{run}")
        running.append(front)
        services.wait_healthy([front], STARTUP_S)
        if not services.wait_ready(running[:-1], STARTUP_S):
            raise AssertionError(f"the services were not ready within {STARTUP_S:.0f} s")
        yield Stack({s.name: s.url for s in first}, databases, mongo_url, front.url,
                    {name: [s.url for s in running[:-1] if s.name == name]
                     for name in services.NAMES}, run,
                    {s.title: s for s in running[:-1]})
    finally:
        services.stop(running)
