"""What the benchmark reads from the servers: the store's counters and Kafka's offsets."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from bench.loop.figures import KINDS, Ops
from civiloop_contracts.topics import CATALOGUE

TIMEOUT_S = 30.0
SAMPLE = 100  # records per topic read back to learn the events' size


def counter_client(url: str) -> AsyncMongoClient[dict[str, Any]]:
    """A client that adds nothing to the counters between reads (no heartbeat to speak of)."""
    return AsyncMongoClient(url, heartbeatFrequencyMS=3_600_000, serverSelectionTimeoutMS=30_000)


async def read_ops(client: AsyncMongoClient[dict[str, Any]]) -> Ops:
    """The store's operation counters now: by kind, by command name and by database."""
    status = await client.admin.command("serverStatus")
    top = (await client.admin.command("top"))["totals"]
    databases: Counter[str] = Counter()
    collections: Counter[str] = Counter()
    for name, row in top.items():
        if isinstance(row, dict) and "." in name:
            databases[name.split(".", 1)[0]] += int(row["total"]["count"])
            collections[name] = int(row["total"]["count"])
    commands = Counter({name: int(row.get("total", 0))
                        for name, row in status["metrics"]["commands"].items()
                        if isinstance(row, dict)})
    return Ops(Counter({k: int(status["opcounters"][k]) for k in KINDS}), commands, databases,
               collections)


async def own_ops(client: AsyncMongoClient[dict[str, Any]]) -> Ops:
    """What one ``read_ops`` adds to the counters itself (read while nothing else runs)."""
    first = await read_ops(client)
    await read_ops(client)
    third = await read_ops(client)
    diff = third - first
    return Ops(Counter({k: v // 2 for k, v in diff.kinds.items()}),
               Counter({k: v // 2 for k, v in diff.commands.items()}),
               Counter({k: v // 2 for k, v in diff.databases.items()}))


async def store_version(client: AsyncMongoClient[dict[str, Any]]) -> str:
    """Which server answers: secantusd-rs or -py and its version, or mongod's."""
    status = await client.admin.command("serverStatus")
    own = status.get("secantus")
    if isinstance(own, dict):
        build = {"rust": "rs", "python": "py"}.get(str(own.get("server")), "?")
        return f"secantusd-{build} {own.get('version', '?')}"
    return f"mongod {status.get('version', '?')}"


def _loop_topics() -> list[str]:
    return [t.name for t in CATALOGUE]


async def _partitions(bootstrap: str) -> list[TopicPartition]:
    """The loop topics' partitions, as the broker describes them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await asyncio.wait_for(admin.start(), TIMEOUT_S)
    try:
        described = await admin.describe_topics(_loop_topics())
    finally:
        await admin.close()
    return [TopicPartition(t["topic"], p["partition"]) for t in described
            if not t.get("error_code") for p in t["partitions"]]


async def produced(bootstrap: str) -> int:
    """Records on the loop's topics (sum of end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await asyncio.wait_for(consumer.start(), TIMEOUT_S)
    try:
        parts = await _partitions(bootstrap)
        ends = await consumer.end_offsets(parts) if parts else {}
        return int(sum(ends.values()))
    finally:
        await asyncio.wait_for(consumer.stop(), TIMEOUT_S)


async def consumed(bootstrap: str) -> int:
    """Records the services' consumer groups have committed past (sum over groups)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await asyncio.wait_for(admin.start(), TIMEOUT_S)
    try:
        groups = [g[0] for g in await admin.list_consumer_groups()
                  if not str(g[0]).startswith("bench-")]
        total = 0
        for group in groups:
            offsets = await admin.list_consumer_group_offsets(group)
            total += sum(max(o.offset, 0) for o in offsets.values())
        return total
    finally:
        await admin.close()


async def event_size(bootstrap: str) -> int:
    """The mean size of the loop's records (value, key and headers), from the newest ones."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await asyncio.wait_for(consumer.start(), TIMEOUT_S)
    sizes: list[int] = []
    try:
        parts = await _partitions(bootstrap)
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        for tp in parts:
            consumer.seek(tp, max(ends[tp] - SAMPLE // len(parts) - 1, 0))
        batch = await consumer.getmany(timeout_ms=2000, max_records=SAMPLE * 4)
        for records in batch.values():
            sizes += [len(r.value or b"") + len(r.key or b"")
                      + sum(len(k) + len(v) for k, v in r.headers) for r in records]
    finally:
        await asyncio.wait_for(consumer.stop(), TIMEOUT_S)
    return int(sum(sizes) / len(sizes)) if sizes else 1024
