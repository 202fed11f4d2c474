"""Kafka and MongoDB in Docker for tests (testcontainers), configured like docker-compose."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pymongo import MongoClient

from civiloop_devstack.kafka import metadata_ok, run_sync
from civiloop_devstack.procs import free_port

KAFKA_IMAGE = "apache/kafka:3.9.1"
MONGO_IMAGE = "mongo:7"


def _until(check: Callable[[], bool], what: str, timeout_s: float = 90.0) -> float:
    """Poll the callable ``check`` until it returns True; seconds taken, TimeoutError if never."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if check():
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready within {timeout_s:.0f}s")


@contextmanager
def kafka_container() -> Iterator[tuple[str, float]]:
    """A one-node KRaft broker; yields its bootstrap address and seconds until metadata worked."""
    from testcontainers.core.container import DockerContainer

    # The broker must advertise the address clients use: fix the host port before start.
    port = free_port()
    container = (
        DockerContainer(KAFKA_IMAGE)
        .with_bind_ports(9092, port)
        .with_env("KAFKA_NODE_ID", "1")
        .with_env("KAFKA_PROCESS_ROLES", "broker,controller")
        .with_env("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
        .with_env("KAFKA_ADVERTISED_LISTENERS", f"PLAINTEXT://127.0.0.1:{port}")
        .with_env("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
        .with_env("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
        .with_env("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
        .with_env("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT")
        # A single broker: without these idempotent producers stall on InitProducerId.
        .with_env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .with_env("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
        .with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .with_env("KAFKA_OFFSETS_RETENTION_MINUTES", "2147483647")
        .with_env("KAFKA_NUM_PARTITIONS", "12")
    )
    container.start()
    try:
        bootstrap = f"127.0.0.1:{port}"
        yield bootstrap, _until(lambda: run_sync(metadata_ok(bootstrap)), "Kafka container")
    finally:
        container.stop()


@contextmanager
def mongo_container() -> Iterator[str]:
    """mongo:7 started with --replSet rs0 and initiated; yields a directConnection URL."""
    from testcontainers.core.container import DockerContainer

    container = DockerContainer(MONGO_IMAGE).with_command("--replSet rs0 --bind_ip_all")
    container.with_exposed_ports(27017).start()
    try:
        host, port = container.get_container_host_ip(), container.get_exposed_port(27017)
        # directConnection: the member's own name (localhost:27017) is not reachable from here.
        url = f"mongodb://{host}:{port}/?directConnection=true"
        client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=2000)
        _until(lambda: _ping(client), "MongoDB container")
        client.admin.command("replSetInitiate",
                             {"_id": "rs0", "members": [{"_id": 0, "host": "localhost:27017"}]})
        _until(lambda: bool(client.admin.command("hello").get("isWritablePrimary")),
               "MongoDB replica set primary")
        client.close()
        yield url
    finally:
        container.stop()


def _ping(client: MongoClient[Any]) -> bool:
    """True when ``client`` answers a ping."""
    from pymongo.errors import PyMongoError

    try:
        return bool(client.admin.command("ping").get("ok"))
    except PyMongoError:
        return False
