"""Unit tests: `up` refuses clearly, with one line and nothing started, when it cannot work."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civiloop_devstack.cli import infra_app
from civiloop_devstack.config import InfraError
from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.procs import port_in_use, require_tool
from civiloop_devstack.testinfra import free_ports


@pytest.fixture
def listener() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_port_in_use_sees_a_listener(listener: int) -> None:
    assert port_in_use(listener)
    assert not port_in_use(free_ports(1)[0])


@pytest.mark.parametrize("which", ["kafka", "mongo"])
def test_a_taken_port_is_refused_with_the_variable_to_change(
        which: str, listener: int, tmp_path: Path) -> None:
    kafka_port, controller_port, mongo_port = free_ports(3)
    if which == "kafka":
        kafka_port = listener
    else:
        mongo_port = listener
    infra = LocalInfra(tmp_path, kafka_port, controller_port, mongo_port)
    env = "KAFKA_PORT" if which == "kafka" else "MONGO_PORT"
    with pytest.raises(InfraError, match=f"port {listener} is taken by another process: set {env}="):
        infra.up()
    assert all(s.pid is None for s in infra.status())  # the other one did not start either
    assert not (tmp_path / "infra" / "kafka.pid").exists()


def test_missing_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no java on it
    with pytest.raises(InfraError, match=r"`java` is not on PATH: install Java 17"):
        LocalInfra(tmp_path, *free_ports(3)).up()


def test_the_cli_prints_one_line_and_exits_non_zero(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    kafka_port, controller_port, mongo_port = free_ports(3)
    for name, value in (("PATH", str(tmp_path)), ("CIVILOOP_HOME", str(tmp_path)),
                        ("KAFKA_PORT", str(kafka_port)), ("MONGO_PORT", str(mongo_port)),
                        ("KAFKA_CONTROLLER_PORT", str(controller_port))):
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(infra_app, ["up"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("civiloop: `java` is not on PATH")
    assert len(result.output.strip().splitlines()) == 1


def test_require_tool_finds_what_is_there(tmp_path: Path) -> None:
    tool = tmp_path / "mvn"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    assert require_tool("mvn", "hint", path=str(tmp_path)) == str(tool)
