"""The raw limits: the store doing the loop's mix with no logic, Kafka moving event-sized
records through a chain of consume-and-produce hops with no logic."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer

from bench.loop.figures import Mix
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.consumer import make_consumer
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.store.mongo import make_client

SEED_DOCS = 5_000
BATCH = 200


async def store_mix(mongo_url: str, mix: Mix, *, seconds: float, clients: int) -> dict[str, Any]:
    """Calls of the mix per second with ``clients`` at once, and orders/s that makes."""
    client = make_client(mongo_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:8]}"]
    docs, marks = db["docs"], db["marks"]
    await docs.insert_many([{"_id": f"d{i}", "n": 0} for i in range(SEED_DOCS)])
    await db.create_collection("marks")  # not inside the first transactions: they would race
    schedule, counter, done = mix.schedule(), itertools.count(), 0

    async def call(kind: str) -> None:
        n = next(counter)
        key = f"d{n % SEED_DOCS}"
        if kind == "read":
            await docs.find_one({"_id": key})
        elif kind == "write":
            await docs.update_one({"_id": key}, {"$inc": {"n": 1}})
        else:  # an inbox-like insert and an aggregate update, committed together
            async def both(session: Any) -> None:
                await marks.insert_one({"_id": f"m{n}-{os.getpid()}"}, session=session)
                await docs.update_one({"_id": key}, {"$inc": {"n": 1}}, session=session)
            async with client.start_session() as session:
                await session.with_transaction(both)

    async def worker(offset: int, until: float) -> None:
        nonlocal done
        for kind in itertools.cycle(schedule[offset:] + schedule[:offset]):
            if time.perf_counter() >= until:
                return
            await call(kind)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i * 7, started + seconds) for i in range(clients)))
    took = time.perf_counter() - started
    await client.drop_database(db.name)
    await client.close()
    calls = done / took
    return {"clients": clients, "seconds": round(took, 1), "calls_per_s": round(calls, 1),
            "mix_per_order": mix.__dict__, "orders_per_s": round(calls / mix.items, 2)
            if mix.items else None}


async def _hop(bootstrap: str, source: str, target: str, group: str,
               producer: EventProducer, ready: asyncio.Event, stop: asyncio.Event) -> None:
    """One stage: consume a batch, produce it onward, commit after the acknowledgement."""
    consumer = make_consumer(bootstrap, group, [source], instance_id="bench")
    await consumer.start()
    try:
        while not stop.is_set():
            if consumer.assignment():
                ready.set()
            batch = await consumer.getmany(timeout_ms=200)
            records = [r for rs in batch.values() for r in rs]
            if records:
                await producer.send_all([Outgoing(target, r.key, r.value or b"",
                                                  list(r.headers)) for r in records])
                await consumer.commit()
    finally:
        await consumer.stop()


async def _arrivals(bootstrap: str, topic: str, expected: int) -> float:
    """Seconds until ``expected`` records have arrived at the end of the chain."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", isolation_level="read_committed")
    await consumer.start()
    started, seen = time.perf_counter(), 0
    try:
        while seen < expected:
            batch = await consumer.getmany(timeout_ms=500)
            seen += sum(len(rs) for rs in batch.values())
        return time.perf_counter() - started
    finally:
        await consumer.stop()


async def kafka_chain(bootstrap: str, *, hops: int, size: int, records: int,
                      partitions: int) -> dict[str, Any]:
    """Records per second through ``hops`` stages, each record ``size`` bytes."""
    run = uuid.uuid4().hex[:8]
    topics = [f"bench.hop{i}.{run}" for i in range(hops + 1)]
    await ensure_topics(bootstrap, partitions, names=topics)
    producers = [EventProducer(bootstrap, f"bench-hop{i}", send_timeout_s=60, stop_timeout_s=10)
                 for i in range(hops + 1)]
    for producer in producers:
        await producer.start()
    stop, ready = asyncio.Event(), [asyncio.Event() for _ in range(hops)]
    stages = [asyncio.create_task(_hop(bootstrap, topics[i], topics[i + 1],
                                       f"bench-hop{i}-{run}", producers[i + 1], ready[i], stop))
              for i in range(hops)]
    # Every stage in its group with its partitions before the clock starts.
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 120)
    arriving = asyncio.create_task(_arrivals(bootstrap, topics[-1], records))
    value = b"x" * size
    for start in range(0, records, BATCH):
        await producers[0].send_all([Outgoing(topics[0], f"k{n}".encode(), value, [])
                                     for n in range(start, min(start + BATCH, records))])
    took = await arriving
    stop.set()
    await asyncio.gather(*stages, return_exceptions=True)
    for producer in producers:
        await producer.stop()
    per_s = records / took
    return {"hops": hops, "record_bytes": size, "records": records,
            "records_per_s": round(per_s, 1), "hop_records_per_s": round(per_s * hops, 1)}
