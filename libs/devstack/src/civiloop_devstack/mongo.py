"""SecantusDB, the MongoDB-compatible server: start it and wait until it answers a ping."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from civiloop_devstack import store
from civiloop_devstack.config import InfraConfig
from civiloop_devstack.procs import alive, port_open, start_failed

MARKER = "secantusd"


def server_command(cfg: InfraConfig) -> list[str]:
    """The command line of the chosen server (CIVILOOP_STORE: rs or py) for ``cfg``."""
    # Both builds take the same flags and read the same data folder.
    command = [str(store.server_binary()), "--host", "127.0.0.1", "--port", str(cfg.mongo_port),
               "--storage-path", str(data_dir(cfg)), "--cache-size", "256M",
               "--log-level", "WARNING"]
    # No fsync per commit by default (like mongod's j:false): a killed process loses nothing,
    # only a power cut could, and fsync per commit costs far more than it buys on a laptop.
    if os.environ.get("SECANTUS_SYNC_ON_COMMIT", "") in ("1", "true", "yes"):
        command.append("--sync-on-commit")
    return command


def data_dir(cfg: InfraConfig) -> Path:
    """SecantusDB's WiredTiger home under the infra folder."""
    return cfg.infra_dir / "mongo" / "data"


def start(cfg: InfraConfig, log: Path) -> subprocess.Popen[bytes]:
    """Launch SecantusDB detached from our terminal, its output appended to ``log``."""
    command = server_command(cfg)
    data_dir(cfg).mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def ping(url: str, timeout_s: float = 2.0) -> bool:
    """True when the server at ``url`` answers a ping within ``timeout_s``."""
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    ms = int(timeout_s * 1000)
    client: MongoClient[dict[str, object]] = MongoClient(
        url, serverSelectionTimeoutMS=ms, connectTimeoutMS=ms)
    try:
        return bool(client.admin.command("ping").get("ok"))
    except PyMongoError:
        return False
    finally:
        client.close()


def wait_ready(cfg: InfraConfig, pid: int, log: Path, timeout_s: float = 60.0) -> float:
    """Block until SecantusDB answers a ping; return the seconds waited or InfraError."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if not alive(pid):
            raise start_failed(f"SecantusDB (pid {pid})", log)
        if port_open(cfg.mongo_port) and ping(cfg.mongo_url):
            return time.monotonic() - started
        time.sleep(0.1)
    raise start_failed(f"SecantusDB (pid {pid}) did not answer a ping within {timeout_s:.0f}s;",
                       log)
