"""A running service: its MongoDB database, producer, outbox relay, consumers and housekeeping."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_exponential

from civiloop_platform.consumer_loop import EventConsumer
from civiloop_platform.errors import is_outage
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.live.hub import ChangeHub
from civiloop_platform.live.hub import Settings as HubSettings
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Subscription
from civiloop_platform.relay import OutboxRelay
from civiloop_platform.settings import ServiceSettings
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client, ping
from civiloop_platform.store.unit_of_work import MongoUnitOfWork

log = get_logger(__name__)
HOUSEKEEPING_EVERY_S = 3600.0


Worker = Callable[["Runtime"], Coroutine[Any, Any, None]]
"""A service's own background loop (a timer, a sweeper): runs until ``runtime.stopping``."""


@dataclass
class ServiceSpec:
    """What a service adds to the platform: subscriptions, unit of work, indexes, workers."""

    settings: ServiceSettings
    subscriptions: list[Subscription] = field(default_factory=list)
    unit_of_work: Callable[[ServiceDatabase], MongoUnitOfWork] = MongoUnitOfWork
    indexes: Callable[[ServiceDatabase], Awaitable[None]] | None = None
    # Every replica runs them: what must happen once needs a lease or an atomic claim.
    workers: dict[str, Worker] = field(default_factory=dict)


class Runtime:
    """Starts and stops everything a service runs besides its HTTP routes."""

    def __init__(self, spec: ServiceSpec) -> None:
        self.spec, self.settings = spec, spec.settings
        self.database = ServiceDatabase(
            make_client(self.settings.mongo_url.get_secret_value(), timeout_s=self.settings.mongo_timeout_s,
                        app_name=self.settings.service_name), self.settings.database)
        client_id = f"{self.settings.service_name}-{self.settings.instance_id}"
        self.producer = EventProducer(
            self.settings.kafka_bootstrap, client_id,
            send_timeout_s=self.settings.kafka_send_timeout_s,
            stop_timeout_s=self.settings.kafka_stop_timeout_s)
        self.consumers = [self._consumer(sub) for sub in spec.subscriptions]
        self.stopping = asyncio.Event()
        # Leases need a name unique per process: two processes may share a host name.
        self.owner = f"{self.settings.instance_id}:{uuid.uuid4().hex[:8]}"
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.hubs: dict[tuple[str, ...], ChangeHub] = {}

    def live_hub(self, *collections: str) -> ChangeHub:
        """This replica's one live feed of ``collections`` (made on first use)."""
        if collections not in self.hubs:
            s = self.settings
            self.hubs[collections] = ChangeHub(self.database.db, collections, HubSettings(
                queue=s.live_queue, buffer=s.live_buffer,
                max_subscribers=s.live_max_subscribers, idle_close_s=s.live_idle_close_s))
        return self.hubs[collections]

    def unit_of_work(self) -> MongoUnitOfWork:
        """A fresh unit of work on this service's database."""
        return self.spec.unit_of_work(self.database)

    def _consumer(self, sub: Subscription) -> EventConsumer:
        s = self.settings
        return EventConsumer(sub, bootstrap=s.kafka_bootstrap, instance_id=s.instance_id,
                             service=s.service_name, uow_factory=self.unit_of_work,
                             producer=self.producer, timeout_s=s.kafka_send_timeout_s,
                             group_prefix=s.kafka_group_prefix)

    async def start(self) -> None:
        """Prepare the database and producer (waiting out a slow start), then run the loops."""
        async for attempt in AsyncRetrying(
            stop=stop_after_delay(60), wait=wait_exponential(max=5), reraise=True,
            retry=retry_if_exception(is_outage),
        ):
            with attempt:
                await self.database.ensure_indexes()
                if self.spec.indexes is not None:
                    await self.spec.indexes(self.database)
                await self.producer.start()
        relay = OutboxRelay(self.database, self.producer, service=self.settings.service_name,
                            owner=self.owner, poll_s=self.settings.outbox_poll_s,
                            lease_ttl_s=self.settings.lease_ttl_s)
        self._spawn("relay", relay.run(self.stopping))
        for consumer in self.consumers:
            self._spawn(f"consumer:{consumer.sub.group}", consumer.run(self.stopping))
        for name, worker in self.spec.workers.items():
            self._spawn(f"worker:{name}", worker(self))
        self._spawn("housekeeping", self._housekeeping())

    def _spawn(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        self.tasks[name] = asyncio.create_task(work, name=name)

    async def stop(self) -> None:
        """Ask every loop to finish its current record, wait (bounded), then close clients."""
        self.stopping.set()
        for hub in self.hubs.values():  # before the client closes under their feeds
            await hub.close()
        if self.tasks:
            _, late = await asyncio.wait(self.tasks.values(),
                                         timeout=self._stop_budget_s())
            for task in late:
                log.warning("task did not stop in time; cancelling", task=task.get_name())
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self.producer.stop()
        await self.database.client.close()

    def _stop_budget_s(self) -> float:
        """Long enough for a consumer to finish its record, commit and leave (each bounded)."""
        s = self.settings
        return s.kafka_send_timeout_s * 2 + s.kafka_stop_timeout_s + 5

    async def readiness(self) -> dict[str, bool]:
        """Each dependency and loop, and whether it is working now."""
        checks = {"mongodb": await ping(self.database.db), "kafka_producer": self.producer.started}
        for name, task in self.tasks.items():
            checks[name] = not task.done()
        for consumer in self.consumers:
            checks[f"consumer:{consumer.sub.group}"] &= consumer.running
        return checks

    async def _housekeeping(self) -> None:
        while not self.stopping.is_set():
            try:
                await self.database.purge(outbox_days=7, inbox_days=30)
            except Exception as exc:  # retried next round; nothing depends on it at once
                log.warning("housekeeping failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), HOUSEKEEPING_EVERY_S)
