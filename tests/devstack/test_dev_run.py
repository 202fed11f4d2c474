"""Integration: `civiloop-dev run` (what `make run` calls) brings up everything; Ctrl-C stops it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from civiloop_devstack.procs import port_in_use, port_open
from civiloop_devstack.services import NAMES
from civiloop_devstack.testinfra import free_ports

pytestmark = pytest.mark.integration


def _healthz(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
        return int(reply.status)


def _wait_for_line(log: Path, text: str, proc: subprocess.Popen[bytes], within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while text not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"`{text}` not printed; output:\n{log.read_text(errors='replace')}")
        time.sleep(0.5)


def _pid_of(name: str, port: int) -> int:
    """The PID of the service ``name`` listening on ``port`` (its environment says so)."""
    for folder in Path("/proc").iterdir():
        try:
            command = (folder / "cmdline").read_bytes().split(b"\0")
            env = (folder / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"civiloop_{name}".encode() in command and f"HTTP_PORT={port}".encode() in env:
            return int(folder.name)
    raise AssertionError(f"no {name} process on port {port}")


@pytest.mark.timeout(600)  # the demo district, a restart and the stop, on a busy machine
def test_dev_run_serves_five_services_restarts_a_dead_one_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    kafka, controller, mongo = free_ports(3)
    # Five free ports in a row, below Linux's ephemeral range so no client socket takes one.
    # The gateway takes the port just below the first service.
    first = random.randrange(20000, 30000, 10)
    while any(port_in_use(first + i) for i in range(-1, len(NAMES))):
        first = random.randrange(20000, 30000, 10)
    env = dict(os.environ, CIVILOOP_HOME=str(tmp_path / "home"), KAFKA_PORT=str(kafka),
               KAFKA_CONTROLLER_PORT=str(controller), MONGO_PORT=str(mongo),
               KAFKA_PARTITIONS="2", CIVILOOP_HTTP_FIRST_PORT=str(first))
    ports = [first + i for i in range(len(NAMES))]
    front = first - 1
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "civiloop-dev"), "run"],
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        # Infra, topics, five services and the demo district, loaded through their APIs.
        _wait_for_line(log, "Ctrl-C stops", proc, within_s=300)
        assert [_healthz(port) for port in ports] == [200] * len(NAMES)
        printed = log.read_text()
        missing = [n for n, p in zip(NAMES, ports, strict=True)
                   if f"http://127.0.0.1:{p}/api/v1/{n}/docs" not in printed]
        assert not missing, printed
        # One URL to open: the gateway, in front of the services' APIs.
        assert f"open http://127.0.0.1:{front}/" in printed, printed
        via_gateway = urllib.request.urlopen(
            f"http://127.0.0.1:{front}/api/v1/stats/public/board", timeout=10)
        assert via_gateway.status == 200
        assert "Authorization: Bearer " in printed
        assert "demo: 46 volunteers, 6 teams, 3 stations" in printed, printed
        assert "not loaded" not in printed, printed
        # A service that dies is started again by the supervisor, as an orchestrator would.
        os.kill(_pid_of("dispatch", ports[1]), signal.SIGKILL)
        _wait_for_line(log, "dispatch exited with status -9: restarting it in 1 s", proc, 30)
        _wait_for_line(log, "dispatch answers again", proc, within_s=120)
        assert _healthz(ports[1]) == 200
    finally:
        proc.send_signal(signal.SIGINT)
        if proc.poll() is None:
            # In a terminal, uv and make pass the Ctrl-C on: a second SIGINT during the stop
            # must not cut it short and leave the infra running.
            _wait_for_line(log, "stopping", proc, within_s=30)
            proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=90)
    assert code == 0, log.read_text(errors="replace")
    for port in [*ports, front, kafka, controller, mongo]:
        assert not port_open(port), f"port {port} still open after Ctrl-C"
