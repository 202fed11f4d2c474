"""The system a chaos run breaks: its own Kafka and SecantusDB, the five services, their
second replicas, and a keeper that restarts what dies, all on free ports under one folder."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from civiloop_devstack import services
from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.keeper import Keeper
from civiloop_devstack.services import Service
from civiloop_devstack.testinfra import free_ports
from civiloop_platform.kafka.admin import ensure_topics

STARTUP_S = 180.0
BROKER_BACK_WITHIN_S = 300.0


def instance_env(label: str) -> dict[str, str]:
    """What one replica needs to be told apart from its twin: its own INSTANCE_ID.

    The consumers' static membership (``group.instance.id``) and the producer's client id
    come from it; two replicas with one id fence each other out of the group. Kept across
    restarts, so a restarted replica takes its partitions back without a rebalance.
    """
    return {"INSTANCE_ID": label, "LOG_LEVEL": "WARNING"}


@dataclass
class ChaosStack:
    """Infra, services and replicas of one run; ``say`` narrates what happens to them."""

    infra: LocalInfra
    backends: services.Backends
    say: Callable[[str], None]
    running: dict[str, Service] = field(default_factory=dict)
    """By label: ``requests`` … ``stats`` (replica 1), ``requests-2`` … (replica 2)."""
    keeper: Keeper = field(init=False)

    def __post_init__(self) -> None:
        self.keeper = Keeper(say=self.say)

    @property
    def urls(self) -> dict[str, str]:
        """Each service's first replica, where the load's people call."""
        return {name: self.running[name].url for name in services.NAMES}

    def database(self, name: str) -> str:
        """The MongoDB database service ``name`` owns here."""
        return f"civiloop_{name}"

    def start(self, name: str, label: str) -> Service:
        """Start one replica of ``name`` on a free port, kept up by the keeper."""
        [port] = free_ports(1)
        svc = services.start(self.backends, name, port, extra_env=instance_env(label),
                             label=label)
        self.running[label] = svc
        self.keeper.watch([svc])
        return svc

    def pid(self, part: str) -> int:
        """The PID of the broker (``kafka``) or the store (``mongo``)."""
        pid = self.infra.running(part)
        if pid is None:
            raise RuntimeError(f"chaos: {part} is not running")
        return pid

    async def restart_broker(self) -> None:
        """Start the killed broker again and wait until it answers (its log recovery after a
        SIGKILL takes minutes on a busy machine)."""
        await asyncio.to_thread(self.infra.up, BROKER_BACK_WITHIN_S)

    def signal(self, part: str, sig: signal.Signals) -> None:
        """Send ``sig`` to the broker or the store."""
        os.kill(self.pid(part), sig)


@contextmanager
def chaos_stack(home: Path, partitions: int, say: Callable[[str], None],
                keep_data: bool = False) -> Iterator[ChaosStack]:
    """A fresh stack under ``home``: infra, topics, the five services; all stopped after.

    The data folders are deleted at the end unless ``keep_data`` (to look into a failed
    run: the topics and databases as the checks saw them); the logs always stay.
    """
    kafka_port, controller_port, mongo_port = free_ports(3)
    infra = LocalInfra(home, kafka_port, controller_port, mongo_port, partitions=partitions)
    stack = ChaosStack(infra, services.Backends(infra.kafka_bootstrap, infra.mongo_url,
                                                partitions, home / "logs"), say)
    stop = threading.Event()
    keeper = threading.Thread(target=stack.keeper.run, args=(stop,), name="keeper")
    try:
        infra.up()
        asyncio.run(ensure_topics(infra.kafka_bootstrap, partitions))
        for name in services.NAMES:
            stack.start(name, name)
        services.wait_healthy(list(stack.running.values()), STARTUP_S)
        if not services.wait_ready(list(stack.running.values()), STARTUP_S):
            raise RuntimeError(f"chaos: the services were not ready within {STARTUP_S:.0f} s")
        keeper.start()
        yield stack
    finally:
        stop.set()
        if keeper.is_alive():
            keeper.join()
        with contextlib.suppress(ProcessLookupError, RuntimeError):
            stack.signal("mongo", signal.SIGCONT)  # never leave the store stopped
        services.stop(list(stack.running.values()))
        infra.down()
        for data in () if keep_data else ("kafka/data", "mongo"):
            shutil.rmtree(home / "infra" / data, ignore_errors=True)
