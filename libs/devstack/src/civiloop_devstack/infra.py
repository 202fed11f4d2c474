"""LocalInfra: one Kafka broker and one SecantusDB under one folder, started and stopped as a pair."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from civiloop_devstack import kafka, mongo
from civiloop_devstack.config import InfraConfig, InfraError
from civiloop_devstack.procs import (
    port_in_use,
    read_pid,
    require_tool,
    stop_pid,
    wait_port_closed,
)


@dataclass(frozen=True)
class Component:
    """How to recognise one of our servers: name, PID file stem, command-line marker, ports."""

    name: str
    marker: str
    ports: tuple[int, ...]
    port_env: tuple[str, ...]


@dataclass(frozen=True)
class Status:
    """What ``up`` or ``status`` found for one server: its PID (None when down) and news."""

    name: str
    pid: int | None
    address: str
    note: str = ""
    ready_s: float | None = None


class LocalInfra:
    """A Kafka + SecantusDB pair whose data, logs and PID files live in ``home``/infra."""

    def __init__(self, home: Path, kafka_port: int = 9092, controller_port: int = 9093,
                 mongo_port: int = 27017, *, partitions: int = 12, repo: Path | None = None,
                 config: InfraConfig | None = None) -> None:
        self.config = config or InfraConfig(Path(home).resolve(), kafka_port, controller_port,
                                            mongo_port, partitions, repo)
        self.config.check_distinct()
        cfg = self.config
        self._parts = {
            "kafka": Component("kafka", kafka.MAIN_CLASS, (cfg.kafka_port, cfg.controller_port),
                               ("KAFKA_PORT", "KAFKA_CONTROLLER_PORT")),
            "mongo": Component("mongo", mongo.MARKER, (cfg.mongo_port,), ("MONGO_PORT",)),
        }
        # Popen objects of what this instance started, so their exit is reaped, not zombied.
        self._children: dict[str, subprocess.Popen[bytes]] = {}

    @classmethod
    def from_env(cls) -> LocalInfra:
        """The instance the environment describes (CIVILOOP_HOME, KAFKA_PORT, MONGO_PORT...)."""
        return cls(Path(), config=InfraConfig.from_env())

    @property
    def kafka_bootstrap(self) -> str:
        """Bootstrap servers for Kafka clients."""
        return self.config.kafka_bootstrap

    @property
    def mongo_url(self) -> str:
        """The MongoDB URL for SecantusDB's one-member replica set."""
        return self.config.mongo_url

    def log_file(self, name: str) -> Path:
        """Where ``name``'s output goes."""
        return self.config.infra_dir / "logs" / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        """Where ``name``'s PID is kept."""
        return self.config.infra_dir / f"{name}.pid"

    def running(self, name: str) -> int | None:
        """The PID of our ``name`` server when it runs, else None."""
        return read_pid(self.pid_file(name), self._parts[name].marker)

    def status(self) -> list[Status]:
        """One Status per server, without touching anything."""
        return [Status("kafka", self.running("kafka"), self.kafka_bootstrap),
                Status("mongo", self.running("mongo"), self.mongo_url)]

    def _check_ports(self, part: Component) -> None:
        """Refuse to start when a port of ``part`` is held by a process that is not ours."""
        for port, env in zip(part.ports, part.port_env, strict=True):
            if port_in_use(port):
                raise InfraError(f"port {port} is taken by another process: set {env}=<free "
                                 f"port> or stop it (see `ss -ltnp 'sport = :{port}'`)")

    def _launch(self, name: str) -> int:
        """Start ``name`` and record its PID; readiness is checked separately."""
        log = self.log_file(name)
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = kafka.start(self.config, log) if name == "kafka" else mongo.start(self.config, log)
        self._children[name] = proc
        self.pid_file(name).write_text(f"{proc.pid}\n")
        return proc.pid

    def _wait_ready(self, name: str, pid: int, within_s: float | None = None) -> float:
        """Seconds until ``name`` answered a real request (metadata, ping); InfraError if not."""
        wait = kafka.wait_ready if name == "kafka" else mongo.wait_ready
        if within_s is None:
            return wait(self.config, pid, self.log_file(name))
        return wait(self.config, pid, self.log_file(name), timeout_s=within_s)

    def up(self, ready_within_s: float | None = None) -> list[Status]:
        """Start whichever server is not running yet and wait for both; safe to call twice.

        ``ready_within_s`` overrides how long each may take to answer (60 s, 30 s)."""
        self.config.infra_dir.mkdir(parents=True, exist_ok=True)
        current = {s.name: s for s in self.status()}
        todo = [name for name, s in current.items() if s.pid is None]
        if "kafka" in todo:
            require_tool("java", kafka.JAVA_HINT)  # fail before anything starts
            kafka.ensure_jars(self.config)
        for name in todo:  # every port first, so a clash starts nothing at all
            self._check_ports(self._parts[name])
        launched: dict[str, int] = {}
        try:
            # Both boot at once: SecantusDB is ready while the JVM still warms up.
            for name in todo:
                launched[name] = self._launch(name)
            ready = {name: self._wait_ready(name, pid, ready_within_s)
                     for name, pid in launched.items()}
        except BaseException:
            for name, pid in launched.items():
                self._stop(name, pid)
            raise
        return [Status(name, launched[name], s.address, "started", ready[name])
                if name in launched else Status(name, s.pid, s.address, "already running")
                for name, s in current.items()]

    def _stop(self, name: str, pid: int) -> None:
        """Stop our ``name`` at ``pid``, forget its PID file and wait for its ports to close."""
        stop_pid(pid)
        child = self._children.pop(name, None)
        if child is not None:
            child.wait(timeout=5)
        self.pid_file(name).unlink(missing_ok=True)
        for port in self._parts[name].ports:
            wait_port_closed(port)

    def down(self) -> list[Status]:
        """Stop exactly the servers our PID files name; return what was stopped."""
        stopped = []
        for current in self.status():
            if current.pid is not None:
                started = time.monotonic()
                self._stop(current.name, current.pid)
                stopped.append(Status(current.name, current.pid, current.address,
                                      f"stopped in {time.monotonic() - started:.1f}s"))
            else:
                self.pid_file(current.name).unlink(missing_ok=True)
                stopped.append(Status(current.name, None, current.address, "was not running"))
        return stopped

    def reset(self) -> None:
        """Delete all data of a stopped pair (refused while either server runs)."""
        if any(s.pid is not None for s in self.status()):
            raise InfraError("infra is running: run `civiloop-infra down` before a reset")
        shutil.rmtree(self.config.infra_dir, ignore_errors=True)
