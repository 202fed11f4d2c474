"""Benchmark: state change + outbox → relay → Kafka → consumer with inbox, all running at once.

Run with ``make bench``: against KAFKA_BOOTSTRAP and MONGO_URL when set, else on
throw-away local servers, like the tests. Prints throughput and end-to-end latency percentiles (recorded → applied in
the consumer's database); nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import time
import uuid
from typing import Any

from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import dlq_of
from civiloop_devstack.testinfra import choose
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.relay import OutboxRelay
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client
from tests.platform.integration.probe_service import ProbeUnitOfWork, Running
from tests.platform.probe import PROBE_TOPIC, ProbeHappened


async def stage(database: ServiceDatabase, n: int, concurrency: int) -> None:
    """Commit ``n`` state changes, each with its event, ``concurrency`` at a time."""
    todo = iter(range(n))

    async def work(uow: Any, i: int) -> None:
        await uow.database.db["probes"].insert_one({"_id": i}, session=uow.session)
        uow.publish(make_event(ProbeHappened(probe_id=f"p-{i % 97}", n=i % 1000),
                               source="/bench"))

    async def worker() -> None:
        for i in todo:
            await ProbeUnitOfWork(database).run(functools.partial(work, i=i))

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def applied(database: ServiceDatabase) -> int:
    """How many events the consumer has applied so far."""
    return await database.db["applied"].count_documents({})


async def latencies_ms(database: ServiceDatabase) -> list[float]:
    """Recorded → applied, per event, in milliseconds."""
    return [(d["applied_at"] - d["recorded"]).total_seconds() * 1000
            async for d in database.db["applied"].find({}, {"recorded": 1, "applied_at": 1})]


async def run(database: ServiceDatabase, producer: EventProducer, bootstrap: str, n: int,
              concurrency: int) -> tuple[float, float]:
    """Stage, relay and consume at once; seconds to stage, and seconds until all applied."""
    stop = asyncio.Event()
    relay = OutboxRelay(database, producer, service="bench", owner="bench")
    relaying = asyncio.create_task(relay.run(stop))
    consumer = Running(database, producer, bootstrap, PROBE_TOPIC, f"bench-{uuid.uuid4().hex}")
    started = time.perf_counter()
    await stage(database, n, concurrency)
    staged = time.perf_counter() - started
    # Polls the consumer's database: there is no in-process event to wait on.
    while await applied(database) < n:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    total = time.perf_counter() - started
    stop.set()
    await asyncio.gather(relaying, consumer.close())
    return staged, total


def report(n: int, concurrency: int, staged: float, total: float, lat: list[float]) -> None:
    """Print the figures."""
    q = statistics.quantiles(lat, n=100)
    print(f"events: {n}; staging concurrency: {concurrency}; one partitioned topic (12)")
    print(f"  staged (state + outbox in one transaction): {n / staged:7.0f} events/s")
    print(f"  end to end (applied by the consumer):       {n / total:7.0f} events/s "
          f"({total:.1f} s)")
    print(f"  latency recorded → applied: p50 {q[49]:.0f} ms, p90 {q[89]:.0f} ms, "
          f"p99 {q[98]:.0f} ms, max {max(lat):.0f} ms")


async def main(n: int, concurrency: int, bootstrap: str, mongo_url: str) -> None:
    """Set up a throw-away database and topic, run, report, clean up."""
    await ensure_topics(bootstrap, 12, names=[PROBE_TOPIC, dlq_of(PROBE_TOPIC)])
    client = make_client(mongo_url)
    database = ServiceDatabase(client, f"civiloop_bench_{uuid.uuid4().hex[:8]}")
    await database.ensure_indexes()
    producer = EventProducer(bootstrap, "bench", send_timeout_s=30, stop_timeout_s=10)
    await producer.start()
    try:
        staged, total = await run(database, producer, bootstrap, n, concurrency)
        report(n, concurrency, staged, total, await latencies_ms(database))
    finally:
        await producer.stop()
        await client.drop_database(database.db.name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    # The same choice as the tests: env addresses, else Docker, else throw-away local servers.
    with choose() as infra:
        asyncio.run(main(args.events, args.concurrency, infra.kafka_bootstrap, infra.mongo_url))
