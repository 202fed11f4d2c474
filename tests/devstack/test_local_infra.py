"""Integration: a LocalInfra of our own goes up, stays up when asked twice, and goes down."""

from __future__ import annotations

from pathlib import Path

import pytest

from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.kafka import metadata_ok, run_sync
from civiloop_devstack.mongo import ping
from civiloop_devstack.procs import alive, port_open
from civiloop_devstack.testinfra import free_ports

pytestmark = pytest.mark.integration


def test_up_twice_status_and_down(tmp_path: Path) -> None:
    kafka_port, controller_port, mongo_port = free_ports(3)
    infra = LocalInfra(tmp_path / "home", kafka_port, controller_port, mongo_port, partitions=2)
    try:
        first = {s.name: s for s in infra.up()}
        assert {s.note for s in first.values()} == {"started"}
        assert run_sync(metadata_ok(infra.kafka_bootstrap))
        assert ping(infra.mongo_url)

        again = {s.name: s for s in infra.up()}
        assert {s.note for s in again.values()} == {"already running"}
        assert {n: s.pid for n, s in again.items()} == {n: s.pid for n, s in first.items()}
        assert {s.name: s.pid for s in infra.status()} == {n: s.pid for n, s in first.items()}
        assert (tmp_path / "home" / "infra" / "logs" / "kafka.log").is_file()
    finally:
        stopped = infra.down()

    assert {s.name for s in stopped if s.note.startswith("stopped")} == {"kafka", "mongo"}
    for status in first.values():
        assert status.pid is not None
        assert not alive(status.pid)
    for port in (kafka_port, controller_port, mongo_port):
        assert not port_open(port)
    assert all(s.pid is None for s in infra.status())
    assert not list((tmp_path / "home" / "infra").glob("*.pid"))
