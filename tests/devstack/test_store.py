"""The local store: CIVILOOP_STORE picks the Rust or Python SecantusDB, found where it is kept."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from civiloop_devstack import store
from civiloop_devstack.config import InfraError
from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.mongo import ping
from civiloop_devstack.procs import alive, read_pid
from civiloop_devstack.testinfra import free_ports


def test_rust_build_is_the_default_and_py_is_chosen_by_setting() -> None:
    assert store.kind({}) == "rs"
    assert store.kind({"CIVILOOP_STORE": " PY "}) == "py"


def test_an_unknown_store_is_refused_naming_the_setting() -> None:
    with pytest.raises(InfraError, match="CIVILOOP_STORE='mongod'"):
        store.kind({"CIVILOOP_STORE": "mongod"})


def test_the_rust_binary_is_cached_outside_the_checkout_under_its_version(tmp_path: Path) -> None:
    assert store.rs_binary({"CIVILOOP_CACHE": str(tmp_path)}) == (
        tmp_path / f"secantus-rs-{store.RS_VERSION}" / "bin" / "secantusd-rs")
    assert store.rs_binary({"XDG_CACHE_HOME": str(tmp_path)}).is_relative_to(
        tmp_path / "civiloop")
    assert store.rs_binary({"SECANTUS_RS_BIN": "/opt/s/secantusd-rs"}) == Path(
        "/opt/s/secantusd-rs")


def test_a_missing_rust_binary_says_how_to_build_it_or_fall_back(tmp_path: Path) -> None:
    with pytest.raises(InfraError, match=r"make store.*CIVILOOP_STORE=py"):
        store.server_binary({"CIVILOOP_CACHE": str(tmp_path)})


def test_the_python_server_is_the_one_in_our_environment() -> None:
    assert store.server_binary({"CIVILOOP_STORE": "py"}) == Path(sys.executable).parent / (
        "secantusd-py")


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["rs", "py"])
def test_each_store_serves_the_same_data_folder(kind: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Either build starts on the folder the other wrote: switching keeps a district's data."""
    from pymongo import MongoClient

    kafka_port, controller_port, mongo_port = free_ports(3)
    home = tmp_path / "home"
    other = "py" if kind == "rs" else "rs"
    for current in (other, kind):  # `make test` builds the Rust one (make store)
        monkeypatch.setenv("CIVILOOP_STORE", current)
        infra = LocalInfra(home, kafka_port, controller_port, mongo_port)
        process = infra._launch("mongo")  # only the store: Kafka plays no part here
        try:
            infra._wait_ready("mongo", process)
            assert ping(infra.mongo_url)
            command = Path(f"/proc/{process}/cmdline").read_bytes().decode()
            assert f"secantusd-{current}\0" in command
            client: MongoClient[dict[str, object]] = MongoClient(infra.mongo_url)
            client.t.kept.insert_one({"by": current})
            written = {str(d["by"]) for d in client.t.kept.find()}
            assert written == ({other, kind} if current == kind else {other})
            client.close()
        finally:
            infra._stop("mongo", process)
        assert not alive(process)
        assert read_pid(infra.pid_file("mongo"), "secantusd") is None
