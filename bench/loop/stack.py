"""One fresh stack for the benchmark: local Kafka + store on free ports, topics, five services."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from civiloop_devstack import services
from civiloop_devstack.testinfra import free_ports, local_infra
from civiloop_platform.kafka.admin import ensure_topics

PARTITIONS = 12  # as `make run` creates them
STARTUP_S = 180.0


@dataclass
class BenchStack:
    """Where the benchmark's servers answer, and the services while they run."""

    kafka_bootstrap: str
    mongo_url: str
    log_dir: Path
    running: list[services.Service]

    @property
    def urls(self) -> dict[str, str]:
        """Each running service's base URL."""
        return {s.name: s.url for s in self.running}

    @property
    def pids(self) -> dict[str, int]:
        """Each running service's process id (for a profiler)."""
        return {s.name: s.proc.pid for s in self.running}

    def start_services(self, extra_env: dict[str, str] | None = None) -> None:
        """Start the five services with their production defaults; wait until all are ready."""
        backends = services.Backends(self.kafka_bootstrap, self.mongo_url, PARTITIONS,
                                     self.log_dir)
        run = uuid.uuid4().hex[:6]
        for name, port in zip(services.NAMES, free_ports(len(services.NAMES)), strict=True):
            self.running.append(services.start(backends, name, port, extra_env={
                "INSTANCE_ID": f"bench-{name}-{run}", "LOG_LEVEL": "WARNING",
                **(extra_env or {})}))
        services.wait_healthy(self.running, STARTUP_S)
        if not services.wait_ready(self.running, STARTUP_S):
            raise RuntimeError(f"the services were not ready within {STARTUP_S:.0f} s: "
                               f"see {self.log_dir}")

    def stop_services(self) -> None:
        """Stop the services (SIGTERM, then SIGKILL after a bound)."""
        services.stop(self.running)
        self.running = []


@contextmanager
def fresh_stack(log_dir: Path) -> Iterator[BenchStack]:
    """Kafka and the store started empty for this run, with the catalogue's topics; removed
    afterwards with everything the run started."""
    with local_infra() as infra:
        asyncio.run(ensure_topics(infra.kafka_bootstrap, PARTITIONS))
        stack = BenchStack(infra.kafka_bootstrap, infra.mongo_url, log_dir, [])
        try:
            yield stack
        finally:
            stack.stop_services()
