"""The run's account: every published order found in requests or in the dead letters, and
latencies read from the times requests stored on each order's timeline."""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_devstack.load.api import Api, admin
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.records import read_all
from civiloop_platform.kafka.dlq import REASON_HEADER

PAGE = 200  # the requests API's largest page


@dataclass(frozen=True)
class Percentiles:
    """p50, p95, p99 and the largest of a set of durations, in seconds."""

    p50: float
    p95: float
    p99: float
    max: float
    count: int

    @classmethod
    def of(cls, seconds: list[float]) -> Percentiles | None:
        """The percentiles of ``seconds``, or None when there are fewer than two."""
        if len(seconds) < 2:
            return None
        cuts = statistics.quantiles(seconds, n=100, method="inclusive")
        return cls(cuts[49], cuts[94], cuts[98], max(seconds), len(seconds))


@dataclass
class Report:
    """Published, found, dead-lettered and lost orders; where the found ones are; latencies."""

    published: int
    found: int
    dead_lettered: dict[str, str]
    statuses: Counter[str]
    outcomes: Counter[str]
    to_dispatched: list[float] = field(default_factory=list)
    to_closed: list[float] = field(default_factory=list)
    first_placed: datetime | None = None
    last_closed: datetime | None = None
    unanswered: Counter[str] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    """How many orders' timelines show them placed, completed, rated and closed."""
    timelines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each found order's timeline lines as requests lists them, by order id."""
    closings: list[tuple[datetime, datetime]] = field(default_factory=list)
    """(placed, closed) of every closed order, as requests stored them."""

    @property
    def lost(self) -> int:
        """Published but neither an order in requests nor a dead letter with its reason."""
        return self.published - self.found - len(self.dead_lettered)

    @property
    def closed_per_s(self) -> float | None:
        """Orders closed per second, from the first placing to the last closing."""
        if self.first_placed is None or self.last_closed is None:
            return None
        span = (self.last_closed - self.first_placed).total_seconds()
        return self.statuses["closed"] / span if span > 0 else None


async def orders_of(api: Api, plan: LoadPlan) -> list[dict[str, Any]]:
    """Every order of the run's institutes that a station of the run published."""
    found: list[dict[str, Any]] = []
    for institute in plan.institutes:
        page = 1
        while True:
            got = await api.read("requests", "/api/v1/requests/orders", admin(),
                                 params={"institute": institute, "page": page,
                                         "page_size": PAGE})
            found += got["items"]
            if page * PAGE >= got["total"]:
                break
            page += 1
    prefix = f"ld{plan.tag}-r"
    return [o for o in found if (o.get("request_id") or "").startswith(prefix)]


async def closed_count(api: Api, plan: LoadPlan) -> int:
    """How many of the run's orders requests has closed (one small query per institute)."""
    total = 0
    for institute in plan.institutes:
        got = await api.read("requests", "/api/v1/requests/orders", admin(),
                             params={"institute": institute, "status": "closed",
                                     "page_size": 1})
        total += int(got["total"])
    return total


async def dead_letters(bootstrap: str, keys: set[str]) -> dict[str, str]:
    """The intake dead letters whose key is one of ``keys``: key → reason."""
    return {(r.key or b"").decode(): dict(r.headers).get(REASON_HEADER, b"").decode()
            for r in await read_all(bootstrap, [dlq_of(STATION_INTAKE)])
            if (r.key or b"").decode() in keys}


def _first(steps: list[dict[str, Any]], step: str) -> datetime | None:
    return next((datetime.fromisoformat(s["at"]) for s in steps if s["step"] == step), None)


def _reached(steps: list[dict[str, Any]]) -> set[str]:
    done = {s["step"] for s in steps}
    # A rating can overtake its completion report, which requests then ignores; the
    # rating itself says the service was completed (feedback takes none before).
    return {name for name, shown in (("placed", "place" in done),
                                     ("completed", bool(done & {"complete", "rate"})),
                                     ("rated", "rate" in done),
                                     ("closed", "close" in done)) if shown}


async def account(api: Api, plan: LoadPlan, bootstrap: str, published: int,
                  concurrency: int = 8) -> Report:
    """Find every published order, and its latencies from requests' own timeline."""
    orders = await orders_of(api, plan)
    report = Report(published, len(orders), await dead_letters(bootstrap, {
        f"ld{plan.tag}-r{n:06d}" for n in range(published)} - {
        o["request_id"] for o in orders}), Counter(o["status"] for o in orders),
        Counter(o["outcome"] or "-" for o in orders))
    gate = asyncio.Semaphore(concurrency)

    async def timeline(order_id: str) -> list[dict[str, Any]]:
        async with gate:
            got = await api.read("requests", f"/api/v1/requests/orders/{order_id}/timeline",
                                 admin())
            steps: list[dict[str, Any]] = got["steps"]
            return steps
    lines = await asyncio.gather(*(timeline(o["order_id"]) for o in orders))
    report.timelines = {o["order_id"]: steps for o, steps in zip(orders, lines, strict=True)}
    for steps in lines:
        placed, dispatched, closed = (_first(steps, s) for s in ("place", "dispatch", "close"))
        if placed is None:
            continue
        report.reached.update(_reached(steps))
        report.first_placed = min(filter(None, (report.first_placed, placed)))
        if dispatched is not None:
            report.to_dispatched.append((dispatched - placed).total_seconds())
        if closed is not None:
            report.to_closed.append((closed - placed).total_seconds())
            report.closings.append((placed, closed))
            report.last_closed = max(filter(None, (report.last_closed, closed)))
    return report
