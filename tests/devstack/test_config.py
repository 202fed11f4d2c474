"""Unit tests: configuration from the environment, PID checks, test-infra selection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civiloop_devstack.cli import infra_app
from civiloop_devstack.config import InfraConfig, InfraError
from civiloop_devstack.procs import read_pid
from civiloop_devstack.testinfra import docker_available, free_ports, from_env

REPO = Path(__file__).resolve().parents[2]


def test_defaults_put_state_under_the_repo_local_folder() -> None:
    cfg = InfraConfig.from_env({}, repo=REPO)
    assert (cfg.kafka_port, cfg.controller_port, cfg.mongo_port, cfg.partitions) == (
        9092, 9093, 27017, 12)
    assert cfg.infra_dir == REPO / ".local" / "infra"
    assert cfg.kafka_bootstrap == "127.0.0.1:9092"
    assert cfg.mongo_url == "mongodb://127.0.0.1:27017/?replicaSet=secantus"


def test_environment_overrides_ports_home_and_partitions(tmp_path: Path) -> None:
    cfg = InfraConfig.from_env({"KAFKA_PORT": "29092", "KAFKA_CONTROLLER_PORT": "29093",
                                "MONGO_PORT": "29017", "KAFKA_PARTITIONS": "3",
                                "CIVILOOP_HOME": str(tmp_path)}, repo=REPO)
    assert cfg.kafka_bootstrap == "127.0.0.1:29092"
    assert cfg.controller_port == 29093
    assert cfg.mongo_url.startswith("mongodb://127.0.0.1:29017/")
    assert cfg.partitions == 3
    assert cfg.infra_dir == tmp_path.resolve() / "infra"


@pytest.mark.parametrize(("value", "words"), [("abc", "not a port"), ("70000", "out of range")])
def test_a_bad_port_names_the_variable(value: str, words: str) -> None:
    with pytest.raises(InfraError, match=f"KAFKA_PORT.*{words}"):
        InfraConfig.from_env({"KAFKA_PORT": value}, repo=REPO)


def test_two_servers_on_one_port_are_refused() -> None:
    with pytest.raises(InfraError, match="must differ"):
        InfraConfig.from_env({"MONGO_PORT": "9092"}, repo=REPO)


def test_a_pid_file_counts_only_when_the_command_line_matches(tmp_path: Path) -> None:
    pid_file = tmp_path / "x.pid"
    pid_file.write_text(f"{os.getpid()}\n")
    assert read_pid(pid_file, "python") == os.getpid()
    # Our own live PID under a foreign marker: a reused PID must not pass as Kafka.
    assert read_pid(pid_file, "kafka.Kafka") is None
    pid_file.write_text("not a pid")
    assert read_pid(pid_file, "python") is None


def test_env_command_prints_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_PORT", "29092")
    monkeypatch.setenv("MONGO_PORT", "29017")
    result = CliRunner().invoke(infra_app, ["env"])
    assert result.exit_code == 0
    assert result.output.strip() == ("export KAFKA_BOOTSTRAP=127.0.0.1:29092 "
                                     "MONGO_URL='mongodb://127.0.0.1:29017/?replicaSet=secantus'")


def test_addresses_from_the_environment_need_both_variables() -> None:
    assert from_env({"KAFKA_BOOTSTRAP": "h:1"}) is None
    found = from_env({"KAFKA_BOOTSTRAP": "h:1", "MONGO_URL": "mongodb://h:2"})
    assert found is not None
    assert (found.kafka_bootstrap, found.mongo_url, found.source) == (
        "h:1", "mongodb://h:2", "environment")


def test_no_docker_binary_means_no_docker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert docker_available() is False


def test_free_ports_are_distinct_and_avoid_the_reserved_ones() -> None:
    ports = free_ports(5)
    assert len(set(ports)) == 5
    assert not {9092, 9093, 27017, 19092, 19093} & set(ports)
