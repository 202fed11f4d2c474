"""Reading every topic from its beginning, outside any consumer group, for a rebuild."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, TypeAlias

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from civiloop_platform.kafka.consumer import START_TIMEOUT_S

Record: TypeAlias = ConsumerRecord[bytes, bytes]


class TopicReader:
    """Reads assigned partitions from the start up to the end offsets seen at each ``mark``."""

    def __init__(self, bootstrap: str, topics: list[str], timeout_s: float = 15.0) -> None:
        self.bootstrap, self.topics, self.timeout_s = bootstrap, topics, timeout_s
        self.consumer: AIOKafkaConsumer | None = None
        self.ends: dict[TopicPartition, int] = {}

    async def __aenter__(self) -> TopicReader:
        # No group: nothing is committed, and the live consumers' offsets are not touched.
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                    enable_auto_commit=False, auto_offset_reset="earliest",
                                    isolation_level="read_committed", max_poll_records=500,
                                    request_timeout_ms=int(self.timeout_s * 1000) + 30_000)
        await asyncio.wait_for(consumer.start(), START_TIMEOUT_S)
        self.consumer = consumer
        partitions = await self._partitions(set(await consumer.topics()))
        consumer.assign(partitions)
        if partitions:
            await consumer.seek_to_beginning(*partitions)
        return self

    async def _partitions(self, existing: set[str]) -> list[TopicPartition]:
        """Every partition of the topics that exist (a topic nobody wrote to yet is skipped)."""
        names = [t for t in self.topics if t in existing]
        if not names:
            return []
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(names)
        finally:
            await admin.close()
        return [TopicPartition(t["topic"], p["partition"]) for t in described
                for p in sorted(t["partitions"], key=lambda p: p["partition"])]

    async def __aexit__(self, *exc: Any) -> None:
        if self.consumer is not None:
            await asyncio.wait_for(self.consumer.stop(), self.timeout_s)

    async def mark(self) -> int:
        """Fix the end offsets to read up to now; the number of records still to read."""
        assert self.consumer is not None
        partitions = list(self.consumer.assignment())
        if not partitions:
            return 0
        self.ends = await self.consumer.end_offsets(partitions)
        left = 0
        for tp in partitions:
            left += max(self.ends[tp] - await self.consumer.position(tp), 0)
        return left

    async def records(self) -> AsyncIterator[Record]:
        """Records up to the last ``mark``, each partition in order."""
        assert self.consumer is not None
        consumer = self.consumer
        while True:
            behind = [tp for tp, end in self.ends.items() if await consumer.position(tp) < end]
            if not behind:
                return
            batch = await consumer.getmany(*behind, timeout_ms=500)
            for tp, rows in batch.items():
                for record in rows:
                    if record.offset >= self.ends[tp]:
                        consumer.seek(tp, self.ends[tp])  # leave it for the next mark
                        break
                    yield record
