"""Pick the infrastructure tests run against: given addresses, Docker containers, or LocalInfra."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from civiloop_devstack.config import repo_root
from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.procs import free_port

log = logging.getLogger("civiloop.testinfra")
# Never hand out these: an experiment's broker may hold them on shared machines.
RESERVED_PORTS = frozenset({9092, 9093, 27017, 19092, 19093})


@dataclass(frozen=True)
class Endpoints:
    """Where the tests find Kafka and MongoDB, which source chose them, and its start time."""

    kafka_bootstrap: str
    mongo_url: str
    source: str
    kafka_start_s: float | None = None


def from_env(env: Mapping[str, str] | None = None) -> Endpoints | None:
    """The addresses in KAFKA_BOOTSTRAP and MONGO_URL when both are set, else None."""
    env = os.environ if env is None else env
    bootstrap, url = env.get("KAFKA_BOOTSTRAP", ""), env.get("MONGO_URL", "")
    return Endpoints(bootstrap, url, "environment") if bootstrap and url else None


def docker_available(timeout_s: float = 5.0) -> bool:
    """True when `docker info` exits 0 within ``timeout_s`` (an engine answers)."""
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=timeout_s,
                              check=False)
    except (subprocess.TimeoutExpired, OSError):
        return False
    return done.returncode == 0


def free_ports(count: int) -> list[int]:
    """``count`` distinct free ports, none of them a well-known or reserved one."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in RESERVED_PORTS and port not in ports:
            ports.append(port)
    return ports


@contextmanager
def local_infra(root: Path | None = None) -> Iterator[Endpoints]:
    """A fresh LocalInfra in .local/test-infra/<unique>/ on free ports, removed afterwards."""
    repo = root or repo_root()
    home = repo / ".local" / "test-infra" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    kafka_port, controller_port, mongo_port = free_ports(3)
    infra = LocalInfra(home, kafka_port, controller_port, mongo_port, repo=repo)
    started = time.monotonic()
    try:
        rows = infra.up()
        kafka_s = next(r.ready_s for r in rows if r.name == "kafka")
        log.info("local infra up in %.1fs", time.monotonic() - started)
        yield Endpoints(infra.kafka_bootstrap, infra.mongo_url, f"local processes in {home}",
                        kafka_s)
    finally:
        infra.down()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def docker_containers() -> Iterator[Endpoints]:
    """apache/kafka:3.9.1 (KRaft) and mongo:7 as a one-node replica set, via testcontainers."""
    from civiloop_devstack.containers import kafka_container, mongo_container

    with kafka_container() as (bootstrap, kafka_s), mongo_container() as url:
        yield Endpoints(bootstrap, url, "docker (testcontainers)", kafka_s)


@contextmanager
def choose(root: Path | None = None) -> Iterator[Endpoints]:
    """Environment addresses if given, else Docker if it answers, else local processes."""
    given = from_env()
    if given is not None:
        yield given
    elif docker_available():
        with docker_containers() as found:
            yield found
    else:
        with local_infra(root) as found:
            yield found
