"""Benchmark: dispatch decision time with 10k, 100k and 1M registered volunteers.

Run with ``python -m bench.dispatch_match`` (``--sizes 10000,100000,1000000``): against
MONGO_URL / KAFKA_BOOTSTRAP when set, else on throw-away local servers, like the tests.
The matching view is filled in its stored form (as the service writes it from the
volunteers topic) for a synthetic district of 20 institutes × 25 stations. For each size
it prints the time of:

- match: the indexed query plus scoring, at station, institute and centre level;
- decision: a whole OrderPlaced decision in one transaction (open the case, match, score,
  record the offer and its timer, write OrderDispatched to the outbox).

Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from typing import Any

from civiloop_contracts.events.volunteers import WeeklySlot
from civiloop_contracts.payload import make_event
from civiloop_contracts.values import Platform, Specialty, TimeWindow, UnitLevel, UnitRef
from civiloop_devstack.testinfra import choose
from civiloop_dispatch.adapters.candidates import (
    CANDIDATES,
    MongoCandidates,
    candidate_document,
)
from civiloop_dispatch.adapters.indexes import ensure_indexes
from civiloop_dispatch.adapters.unit_of_work import DispatchUnitOfWork
from civiloop_dispatch.app.routing import ranked_candidates, route
from civiloop_dispatch.domain.candidates import Candidate, Kind
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.policy import Policy
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client
from tests.services.dispatch.builders import T0, at

INSTITUTES, STATIONS = 20, 25
POLICY = Policy()
rng = random.Random(20250510)


def unit(i: int, s: int) -> UnitRef:
    """Station ``s`` of institute ``i``."""
    return UnitRef(centre="bench", institute=f"i{i:02d}", station=f"i{i:02d}-s{s:02d}")


def some_volunteer(n: int) -> Candidate:
    """A plausible volunteer: one or two specialties and platforms; some cover a second
    station, some are free only at set hours."""
    i, s = rng.randrange(INSTITUTES), rng.randrange(STATIONS)
    covers = [unit(i, rng.randrange(STATIONS)).station or ""] if rng.random() < 0.2 else []
    slots = [WeeklySlot(weekday=rng.randrange(1, 8), start="08:00", end="20:00")] \
        if rng.random() < 0.3 else []
    return Candidate(ref=f"v{n}", kind=Kind.VOLUNTEER, home=unit(i, s), covers=covers,
                     specialties=rng.sample(list(Specialty), rng.randint(1, 2)),
                     platforms=rng.sample(list(Platform), rng.randint(1, 2)),
                     availability=slots, load=rng.choice([0, 0, 0, 1, 2]),
                     declines=rng.choice([0, 0, 0, 1]))


async def fill(collection: Any, start: int, stop: int, batch: int = 2000) -> float:
    """Insert volunteers ``start``..``stop``; return documents per second."""
    began = time.perf_counter()
    for low in range(start, stop, batch):
        docs = [candidate_document(some_volunteer(n), POLICY)
                for n in range(low, min(stop, low + batch))]
        await collection.insert_many(docs, ordered=False)
    return (stop - start) / (time.perf_counter() - began)


def some_need() -> Need:
    """An individual order at a random station, for a random specialty and platform."""
    return Need(unit=unit(rng.randrange(INSTITUTES), rng.randrange(STATIONS)),
                platform=rng.choice(list(Platform)), category="home_visit",
                specialty=rng.choice(list(Specialty)),
                window=TimeWindow(start=T0, end=at(120)))


def percentiles(samples: list[float]) -> str:
    """p50 / p90 / p99 / max in milliseconds."""
    q = statistics.quantiles(samples, n=100)
    return f"p50 {q[49]:6.1f}  p90 {q[89]:6.1f}  p99 {q[98]:6.1f}  max {max(samples):6.1f} ms"


async def time_match(database: ServiceDatabase, level: UnitLevel, n: int) -> tuple[list[float], float]:
    """Match ``n`` random orders at ``level``: milliseconds each, and mean candidates found."""
    uow = DispatchUnitOfWork(database, POLICY)
    uow.candidates = MongoCandidates(database.db[CANDIDATES], None, POLICY)
    samples, found = [], 0
    for _ in range(n):
        case = Case.open(uuid.uuid4().hex, some_need(), T0).model_copy(update={"level": level})
        began = time.perf_counter()
        ranked = await ranked_candidates(case, uow, T0)
        samples.append((time.perf_counter() - began) * 1000)
        found += len(ranked)
    return samples, found / n


async def time_decisions(database: ServiceDatabase, n: int) -> list[float]:
    """Whole decisions (case, match, offer, timer, outbox) in one transaction each, in ms."""
    samples = []
    for _ in range(n):
        case = Case.open(f"bench-{uuid.uuid4().hex[:12]}", some_need(), T0)

        async def decide(uow: DispatchUnitOfWork, case: Case = case) -> None:
            await uow.cases.add(case)
            for payload in await route(case, uow, T0):
                uow.publish(make_event(payload, source="/bench"))
            await uow.cases.save(case)

        began = time.perf_counter()
        await DispatchUnitOfWork(database, POLICY).run(decide)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def main(sizes: list[int], orders: int, mongo_url: str) -> None:
    """Grow the registry through ``sizes``; at each, time matches and decisions."""
    client = make_client(mongo_url, timeout_s=600)
    database = ServiceDatabase(client, f"civiloop_bench_dispatch_{uuid.uuid4().hex[:8]}")
    await database.ensure_indexes()
    await ensure_indexes(database)
    loaded = 0
    try:
        for size in sizes:
            rate = await fill(database.db[CANDIDATES], loaded, size)
            loaded = size
            print(f"\n{size:>9,} volunteers ({INSTITUTES * STATIONS} stations); "
                  f"loaded at {rate:,.0f} docs/s")
            for level in (UnitLevel.STATION, UnitLevel.INSTITUTE, UnitLevel.CENTRE):
                samples, found = await time_match(database, level, orders)
                print(f"  match at {level.value:<9} ({found:5.0f} fit): {percentiles(samples)}")
            print(f"  whole decision, 1 transaction:  {percentiles(await time_decisions(database, orders))}")
    finally:
        await client.drop_database(database.db.name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--orders", type=int, default=200, help="orders timed per measure")
    args = parser.parse_args()
    with choose() as infra:
        asyncio.run(main([int(s) for s in args.sizes.split(",")], args.orders, infra.mongo_url))
