"""The five civiloop services as local subprocesses: start, health check, stop."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from civiloop_devstack.config import InfraConfig, InfraError
from civiloop_devstack.procs import port_in_use, stop_pid, tail

NAMES = ("requests", "dispatch", "volunteers", "feedback", "stats")
FIRST_PORT = 8101  # requests 8101 ... stats 8105, the services' own defaults


def first_port() -> int:
    """The requests service's port; the others follow (CIVILOOP_HTTP_FIRST_PORT, else 8101)."""
    return int(os.environ.get("CIVILOOP_HTTP_FIRST_PORT", FIRST_PORT))


def local_url(port: int) -> str:
    """The base URL of a service listening on ``port`` here."""
    return f"http://127.0.0.1:{port}"


def local_urls() -> dict[str, str]:
    """Each service's base URL as `make run` starts them (first_port() onwards)."""
    return {name: local_url(first_port() + i) for i, name in enumerate(NAMES)}


@dataclass
class Service:
    """One running service: its name, HTTP port, process and log file, and how it started."""

    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    command: list[str] = field(default_factory=list)
    """The command line it was started with, so that it can be started again (``relaunch``)."""
    env: dict[str, str] | None = None
    label: str = ""
    """What logs call it: the name, or the replica (``requests-2``) when there are several."""

    @property
    def url(self) -> str:
        """The service's base URL."""
        return local_url(self.port)

    @property
    def title(self) -> str:
        """The label, else the name."""
        return self.label or self.name


def launch(command: list[str], env: dict[str, str] | None, log: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own session, its output appended to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        # A new session: Ctrl-C reaches only the supervisor, which stops services in order.
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def relaunch(svc: Service) -> None:
    """Start a service that died again, as it was started (same port, env and log)."""
    if not svc.command:
        raise InfraError(f"{svc.title} cannot be restarted: its command line is unknown")
    if svc.proc.poll() is None:
        raise InfraError(f"{svc.title} still runs (pid {svc.proc.pid})")
    svc.proc = launch(svc.command, svc.env, svc.log)


@dataclass(frozen=True)
class Backends:
    """Where the services find Kafka and MongoDB, and where their logs go."""

    kafka_bootstrap: str
    mongo_url: str
    partitions: int
    log_dir: Path

    @classmethod
    def of(cls, cfg: InfraConfig) -> Backends:
        """The local infra of ``cfg``, logs under its home."""
        return cls(cfg.kafka_bootstrap, cfg.mongo_url, cfg.partitions, cfg.home / "logs")


def service_env(backends: Backends, port: int,
                base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment one service reads its settings from (development mode)."""
    env = dict(os.environ if base is None else base)
    env.update(HTTP_HOST="127.0.0.1", HTTP_PORT=str(port),
               KAFKA_BOOTSTRAP=backends.kafka_bootstrap, MONGO_URL=backends.mongo_url,
               CIVILOOP_ENV="development", KAFKA_PARTITIONS=str(backends.partitions),
               PYTHONUNBUFFERED="1")
    env.pop("SERVICE_NAME", None)  # each service defaults its own; an inherited one would lie
    return env


def start(backends: Backends, name: str, port: int,
          extra_env: dict[str, str] | None = None, label: str = "") -> Service:
    """Launch ``python -m civiloop_<name>`` on ``port``, output to <log_dir>/<label>.log."""
    if port_in_use(port):
        raise InfraError(f"port {port} for {label or name} is taken by another process: "
                         "stop it first")
    log = backends.log_dir / f"{label or name}.log"
    env = service_env(backends, port) | (extra_env or {})
    command = [sys.executable, "-m", f"civiloop_{name}"]
    return Service(name, port, launch(command, env, log), log, command, env, label)


def healthy(url: str) -> bool:
    """True when ``GET url/healthz`` answers 200 within two seconds."""
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/healthz", timeout=2) as rsp:
        return int(rsp.status) == 200
    return False


def wait_healthy(services: list[Service], timeout_s: float) -> None:
    """Block until every service answers /healthz; InfraError naming the first that did not."""
    deadline = time.monotonic() + timeout_s
    waiting = list(services)
    while waiting:
        for svc in list(waiting):
            code = svc.proc.poll()
            if code is not None:
                raise InfraError(f"{svc.name} exited with status {code} while starting: see "
                                 f"{svc.log}\n--- last lines of {svc.log} ---\n{tail(svc.log)}")
            if healthy(svc.url):
                waiting.remove(svc)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(s.name for s in waiting)
            raise InfraError(f"{names} did not answer /healthz within {timeout_s:.0f}s: "
                             f"see {waiting[0].log}\n{tail(waiting[0].log)}")
        time.sleep(0.2)


def stop(services: list[Service], timeout_s: float = 15.0) -> None:
    """Stop every service: SIGTERM to all at once, bounded wait, then SIGKILL."""
    for svc in services:
        if svc.proc.poll() is None:
            svc.proc.terminate()
    for svc in services:
        try:
            svc.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            stop_pid(svc.proc.pid, timeout_s=0)  # straight to SIGKILL
            svc.proc.wait(timeout=5)


def ready(url: str) -> bool:
    """True when ``GET url/readyz`` answers 200 (consumers joined, MongoDB and Kafka up)."""
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/readyz", timeout=5) as rsp:
        return int(rsp.status) == 200
    return False


def wait_ready(services: list[Service], timeout_s: float) -> bool:
    """Block until every service is ready; False if one is not within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not all(ready(s.url) for s in services):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True
