"""Where the local infrastructure lives and which ports it uses, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "3.9.1"
KAFKA_JAR = f"kafka_2.13-{KAFKA_VERSION}.jar"


class InfraError(Exception):
    """A failure the user can act on; its message is the one line to print."""


def repo_root(start: Path | None = None) -> Path:
    """The civiloop checkout: the nearest folder up from ``start`` holding deploy/kafka/pom.xml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "deploy" / "kafka" / "pom.xml").is_file():
            return folder
    # Installed editable from the workspace: the package file sits inside the checkout.
    for folder in Path(__file__).resolve().parents:
        if (folder / "deploy" / "kafka" / "pom.xml").is_file():
            return folder
    raise InfraError(f"no civiloop checkout found above {here}: run this from the repository")


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    """The TCP port in ``env[name]`` (or ``default``); InfraError when it is not one."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise InfraError(f"{name}={raw!r} is not a port number: set it to 1-65535") from None
    if not 1 <= port <= 65535:
        raise InfraError(f"{name}={port} is out of range: set it to 1-65535")
    return port


@dataclass(frozen=True)
class InfraConfig:
    """One local Kafka + SecantusDB pair: its state folder, its ports, its topic width."""

    home: Path
    kafka_port: int = 9092
    controller_port: int = 9093
    mongo_port: int = 27017
    partitions: int = 12
    repo: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, repo: Path | None = None) -> InfraConfig:
        """Read KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, KAFKA_PARTITIONS, CIVILOOP_HOME."""
        env = os.environ if env is None else env
        root = repo or repo_root()
        home = Path(env["CIVILOOP_HOME"]) if env.get("CIVILOOP_HOME") else root / ".local"
        partitions = _port(env, "KAFKA_PARTITIONS", 12)  # same 1..65535 check is fine here
        cfg = cls(home=home.resolve(), kafka_port=_port(env, "KAFKA_PORT", 9092),
                  controller_port=_port(env, "KAFKA_CONTROLLER_PORT", 9093),
                  mongo_port=_port(env, "MONGO_PORT", 27017), partitions=partitions, repo=root)
        cfg.check_distinct()
        return cfg

    def check_distinct(self) -> None:
        """Refuse a configuration where two servers would share one port."""
        ports = [self.kafka_port, self.controller_port, self.mongo_port]
        if len(set(ports)) != len(ports):
            raise InfraError(f"KAFKA_PORT, KAFKA_CONTROLLER_PORT and MONGO_PORT must differ "
                             f"(got {ports})")

    @property
    def root(self) -> Path:
        """The repository checkout (for the pom, the template and the shared jar cache)."""
        return self.repo or repo_root()

    @property
    def infra_dir(self) -> Path:
        """The one folder holding data, logs and PID files of this infrastructure."""
        return self.home / "infra"

    @property
    def jars_dir(self) -> Path:
        """Kafka's jars: shared by every home, since the pom always writes them here."""
        return self.root / ".local" / "kafka" / "libs"

    @property
    def kafka_bootstrap(self) -> str:
        """The address clients give as bootstrap servers."""
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo_url(self) -> str:
        """A MongoDB URL naming SecantusDB's one-member replica set."""
        return f"mongodb://127.0.0.1:{self.mongo_port}/?replicaSet=secantus"
