"""A stand-in service for the platform tests: applies probe events into its own database."""

from __future__ import annotations

import asyncio
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_contracts.envelope import utcnow
from civiloop_platform.consumer_loop import EventConsumer
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.messages import Received, Subscription
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from tests.platform.probe import ProbeHappened


class AppliedProbes:
    """The repository: how many times each event was applied (must only ever be 1)."""

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session

    async def record(self, event: Received[ProbeHappened]) -> None:
        """Count one application of the event, and when it was recorded and applied."""
        fields = {"probe_id": event.payload.probe_id, "n": event.payload.n,
                  "recorded": event.envelope.recordedtime, "applied_at": utcnow()}
        await self.collection.update_one(
            {"_id": event.envelope.id}, {"$inc": {"times": 1}, "$set": fields},
            upsert=True, session=self.session)


class ProbeUnitOfWork(MongoUnitOfWork):
    """The unit of work with the probe repository bound to its session."""

    probes: AppliedProbes

    def bind(self, session: AsyncClientSession) -> None:
        self.probes = AppliedProbes(self.database.db["applied"], session)


async def on_probe(event: Received[ProbeHappened], uow: ProbeUnitOfWork) -> None:
    """Record the probe; the platform guarantees this runs once per event id."""
    await uow.probes.record(event)


class Running:
    """A consumer of probe events running in the background until stopped."""

    def __init__(self, database: ServiceDatabase, producer: EventProducer, bootstrap: str,
                 topic: str, group: str, instance: str = "replica-1") -> None:
        sub = Subscription(group, [topic], {ProbeHappened: on_probe})
        self.consumer = EventConsumer(sub, bootstrap=bootstrap, instance_id=instance,
                                      service="probe", producer=producer,
                                      uow_factory=lambda: ProbeUnitOfWork(database))
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.consumer.run(self.stop))

    async def close(self) -> None:
        """Stop gracefully: finish the current record, commit, leave."""
        self.stop.set()
        await asyncio.wait_for(self.task, 30)

    async def crash(self) -> None:
        """Stop abruptly, as a killed process would, mid-record if it is in one."""
        # Python 3.11's wait_for can swallow a cancellation that lands as its inner call
        # completes (fixed in 3.12); a killed process stops whatever it was doing, so cancel
        # until the task is gone (once hung a full run's test for its 300 s limit).
        while not self.task.done():
            self.task.cancel()
            await asyncio.wait([self.task], timeout=1.0)
        await asyncio.gather(self.task, return_exceptions=True)


async def applied_times(database: ServiceDatabase) -> dict[str, int]:
    """Event id → how many times it was applied."""
    return {d["_id"]: d["times"] async for d in database.db["applied"].find()}
