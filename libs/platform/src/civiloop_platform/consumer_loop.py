"""The consumer loop: validate, apply once with the inbox, then commit the offset.

Per record: a record that breaks its contract goes to the DLQ at once; a handler that keeps
failing is retried in place with capped backoff, then dead-lettered; when MongoDB or Kafka
is away the loop seeks back and waits, so nothing is skipped and nothing is dead-lettered
for an outage. Offsets are committed only after the effect is in MongoDB.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from aiokafka.structs import ConsumerRecord

from civiloop_platform.apply import Applier
from civiloop_platform.kafka.consumer import START_TIMEOUT_S, make_consumer
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Subscription
from civiloop_platform.metrics import COMMIT_FAILED, CONSUMER_LAG
from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_platform.timing import sleep_or_stop

log = get_logger(__name__)
Batch = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


class EventConsumer:
    """Runs one subscription until stopped; restartable, and safe to run in N replicas."""

    def __init__(self, subscription: Subscription, *, bootstrap: str, instance_id: str,
                 service: str, uow_factory: Callable[[], MongoUnitOfWork],
                 producer: EventProducer, timeout_s: float = 15.0,
                 group_prefix: str = "") -> None:
        self.sub, self.bootstrap, self.instance_id = subscription, bootstrap, instance_id
        self.group_prefix = group_prefix  # Kafka's group only: inbox keys keep sub.group
        self.service, self.timeout_s = service, timeout_s
        self.applier = Applier(subscription, service=service, uow_factory=uow_factory,
                               producer=producer)
        self.running = False

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, restarting the Kafka consumer after failures."""
        while not stop.is_set():
            try:
                await self._run_once(stop)
            except Exception as exc:  # an outage or a rebalance gone wrong: rejoin, lose nothing
                log.warning("consumer failed; restarting", group=self.sub.group, error=repr(exc))
                await sleep_or_stop(stop, 2.0)

    async def _run_once(self, stop: asyncio.Event) -> None:
        consumer = make_consumer(self.bootstrap, self.group_prefix + self.sub.group,
                                 self.sub.topics,
                                 instance_id=self.instance_id, timeout_s=self.timeout_s)
        try:
            # Joining waits for the group to rebalance: allow for that before giving up, and
            # stop the half-started consumer either way, or its coordinator lives on.
            await asyncio.wait_for(consumer.start(), START_TIMEOUT_S)
            self.running = True
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=500)
                if batch:
                    await self._apply_poll(consumer, await self._gather(consumer, batch, stop),
                                           stop)
        finally:
            self.running = False
            await self._stop(consumer)

    async def _gather(self, consumer: AIOKafkaConsumer, batch: Batch,
                      stop: asyncio.Event) -> Batch:
        """``batch`` and what arrives within the subscription's ``gather_s`` after it."""
        if self.sub.gather_s <= 0:
            return batch
        await sleep_or_stop(stop, self.sub.gather_s)
        for tp, records in (await consumer.getmany(timeout_ms=0)).items():
            batch.setdefault(tp, []).extend(records)  # later offsets: each partition in order
        return batch

    async def _apply_poll(self, consumer: AIOKafkaConsumer, batch: Batch,
                          stop: asyncio.Event) -> None:
        """Apply a poll's records (each partition in its order), commit after the last done,
        and seek back to the first not done (an outage): it is read again after a pause."""
        records = [r for rs in batch.values() for r in rs]
        done = await self.applier.apply_all(records, stop)
        offsets = {TopicPartition(r.topic, r.partition): r.offset + 1 for r in records[:done]}
        assigned = consumer.assignment()  # revoked meanwhile: the new owner re-reads
        again: dict[TopicPartition, int] = {}
        for record in records[done:]:
            again.setdefault(TopicPartition(record.topic, record.partition), record.offset)
        for tp, offset in again.items():
            if tp in assigned:
                consumer.seek(tp, offset)
        committed = {tp: o for tp, o in offsets.items() if tp in assigned}
        if committed:
            await self._commit(consumer, committed)
        for tp, offset in committed.items():
            highwater = consumer.highwater(tp)
            if highwater is not None:
                CONSUMER_LAG.labels(self.service, tp.topic, str(tp.partition)).set(
                    max(highwater - offset, 0))
        if done < len(records):
            await sleep_or_stop(stop, 1.0)

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]
                      ) -> None:
        try:
            await asyncio.wait_for(consumer.commit(offsets), self.timeout_s)
        except (CommitFailedError, IllegalStateError, KafkaError, TimeoutError) as exc:
            # After a rebalance the new owner re-reads from the last commit; the inbox drops
            # what we already applied, so this loses nothing.
            COMMIT_FAILED.labels(self.service).inc()
            log.warning("offset commit failed", partitions=len(offsets), error=repr(exc))

    async def _stop(self, consumer: AIOKafkaConsumer) -> None:
        try:
            await asyncio.wait_for(consumer.stop(), self.timeout_s)
        except (Exception, TimeoutError) as exc:  # stopping must not hang or fail shutdown
            log.warning("consumer stop failed", group=self.sub.group, error=repr(exc))

