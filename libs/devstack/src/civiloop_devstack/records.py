"""Every record of some topics, read from the beginning to their end, outside any group."""

from __future__ import annotations

import asyncio
from typing import TypeAlias

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

TIMEOUT_MS = 15_000
Record: TypeAlias = ConsumerRecord[bytes, bytes]


async def partitions(bootstrap: str, topics: list[str]) -> list[TopicPartition]:
    """Every partition of those of ``topics`` that exist."""
    # Asked of the admin client: a consumer without a subscription knows no topic's
    # partitions (its topics() fetches metadata without keeping it).
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS)
    await asyncio.wait_for(admin.start(), TIMEOUT_MS / 1000)
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in topics if t in existing]
        described = await admin.describe_topics(wanted) if wanted else []
    finally:
        await admin.close()
    return [TopicPartition(t["topic"], p["partition"]) for t in described
            for p in sorted(t["partitions"], key=lambda p: p["partition"])]


async def read_all(bootstrap: str, topics: list[str]) -> list[Record]:
    """The records of ``topics`` up to their end offsets now, each partition in order."""
    parts = await partitions(bootstrap, topics)
    if not parts:
        return []
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                enable_auto_commit=False, auto_offset_reset="earliest",
                                isolation_level="read_committed", max_poll_records=1000,
                                request_timeout_ms=TIMEOUT_MS)
    await asyncio.wait_for(consumer.start(), TIMEOUT_MS / 1000)
    try:
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        found: list[Record] = []
        while [p for p in parts if await consumer.position(p) < ends[p]]:
            batch = await consumer.getmany(timeout_ms=500)
            found += [r for tp, rs in batch.items() for r in rs if r.offset < ends[tp]]
        return found
    finally:
        await asyncio.wait_for(consumer.stop(), TIMEOUT_MS / 1000)
