"""A chaos run: the load generator on a stack of its own while the faults come, then the
checks, read from the topics and from the owning services' own lists."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from typing import Any

import httpx

from civiloop_contracts.topics import CATALOGUE, STATION_INTAKE
from civiloop_devstack import services
from civiloop_devstack.chaos import checks
from civiloop_devstack.chaos.faults import Injector
from civiloop_devstack.chaos.outbox import OutboxWatch
from civiloop_devstack.chaos.plan import ChaosPlan, Kind
from civiloop_devstack.chaos.poison import poison
from civiloop_devstack.chaos.report import ChaosReport
from civiloop_devstack.chaos.stack import ChaosStack
from civiloop_devstack.load.api import Api, admin
from civiloop_devstack.load.report import closed_count
from civiloop_devstack.load.run import Target, run_load
from civiloop_devstack.load.tally import Tally
from civiloop_devstack.records import read_all
from civiloop_platform.kafka.producer import EventProducer

PATIENCE_S = 300.0  # a person keeps trying a failing service this long
STALL_S = 600.0  # the run gives up after this long with nothing moving
DRAIN_WITHIN_S = 120.0
SHOW_EVERY_S = 30.0
Doc = dict[str, Any]


async def run_chaos(stack: ChaosStack, plan: ChaosPlan,
                    say: Callable[[str], None] = print) -> ChaosReport:
    """Run ``plan``'s load on ``stack`` with its faults; account and check everything."""
    started, bootstrap, load_before = time.monotonic(), stack.infra.kafka_bootstrap, \
        _load_average()
    producer = EventProducer(bootstrap, f"civiloop-chaos-{plan.load.tag}", send_timeout_s=15,
                             stop_timeout_s=10)
    await producer.start()
    bad = poison(plan.load, plan.poison_each) if any(
        f.kind is Kind.POISON for f in plan.faults) else []
    counting = httpx.AsyncClient(timeout=60)
    api = Api(stack.urls, counting, patience_s=PATIENCE_S)
    injector = Injector(stack, plan, bad, producer, lambda: closed_count(api, plan.load), say)
    watch = OutboxWatch(stack.infra.mongo_url, [stack.database(n) for n in services.NAMES])
    stop = asyncio.Event()
    watching = asyncio.create_task(watch.run(stop))
    try:
        load = await run_load(plan.load, Target(stack.urls, bootstrap), stall_s=STALL_S,
                              patience_s=PATIENCE_S, alongside=injector.run,
                              show=_every(SHOW_EVERY_S, say), say=say)
        # Bounded: a last sample with rows still pending is what the report then shows.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(watch.empty.wait(), DRAIN_WITHIN_S)
    finally:
        await producer.stop()
        await counting.aclose()
        stop.set()
        await watching
    events = await read_all(bootstrap, [t.name for t in CATALOGUE if t.name != STATION_INTAKE])
    dead = await read_all(bootstrap, [t.dlq for t in CATALOGUE])
    intake = await read_all(bootstrap, [STATION_INTAKE])
    hours, ratings = await owners(stack.urls)
    dlq, dlq_findings = checks.dead_letters_besides_poison(dead, intake, {p.key for p in bad})
    report = ChaosReport(
        plan, load, injector.injected,
        checks.twice_on_topics(events) + checks.twice_in_owners(load.timelines, hours, ratings),
        dlq, dlq_findings, checks.out_of_order(load.timelines), None,
        watch.samples[-1][1] if watch.samples else None, time.monotonic() - started,
        f"{load_before} at the start, {_load_average()} at the end", {"poison": len(bad)})
    if (last := report.last_recovery) is not None:
        report.outbox_drained_s = watch.drained_after(last)
    return report


async def owners(urls: dict[str, str]) -> tuple[list[Doc], list[Doc]]:
    """Every hours entry volunteers keeps, and every rating feedback keeps, of the stack."""
    async with httpx.AsyncClient(timeout=60) as client:
        api = Api(urls, client, patience_s=PATIENCE_S)
        roster = await _pages(api, "volunteers", "/api/v1/volunteers")
        hours: list[Doc] = []
        for v in roster:
            got = await api.read("volunteers", f"/api/v1/volunteers/{v['volunteer_id']}/hours",
                                 admin())
            hours += got["entries"]
        units = await api.read("stats", "/api/v1/stats/units", admin())
        ratings: list[Doc] = []
        for unit in (u for u in units if u["level"] == "station"):
            ratings += await api.read("feedback", "/api/v1/feedback/ratings", admin(),
                                      params={"station": unit["code"], "limit": 500})
        return hours, ratings


async def _pages(api: Api, service: str, path: str) -> list[Doc]:
    found: list[Doc] = []
    page = 1
    while True:
        got = await api.read(service, path, admin(), params={"page": page, "page_size": 200})
        found += got["items"]
        if page * 200 >= got["total"]:
            return found
        page += 1


def _every(seconds: float, say: Callable[[str], None]) -> Callable[[Tally], None]:
    """A progress callback that says where the run is at most every ``seconds``."""
    last = [0.0]

    def show(t: Tally) -> None:
        if time.monotonic() - last[0] >= seconds:
            last[0] = time.monotonic()
            say(f"chaos: placed {t.published} · accepted {t.accepted} · completed "
                f"{t.completed} · rated {t.rated} · closed {t.closed}")
    return show


def _load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes (`uptime`), for the record."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())
