"""The loop's figures: cost per closed order, the knee, latency at half the knee, idle work."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient

from bench.loop import probes
from bench.loop.figures import (
    Ops,
    closing_rate,
    keeps_up,
    per,
    percentile,
    quartile_medians,
)
from bench.loop.stack import BenchStack
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.report import Report
from civiloop_devstack.load.run import Target, run_load


@dataclass
class Run:
    """One load run: what it sent, what the account says, and what it cost the servers."""

    rate: float
    orders: int
    report: Report
    ops: Ops
    produced: int
    consumed: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        """Orders the run closed."""
        return self.report.statuses["closed"]

    def summary(self) -> dict[str, Any]:
        """The run's figures as JSON-ready values."""
        medians = quartile_medians(self.report.closings)
        return {
            "rate": self.rate, "orders": self.orders, "closed": self.closed,
            "lost": self.report.lost, "keeps_up": keeps_up(self.rate, self.orders, self.report.closings),
            "closed_per_s": _round(closing_rate(self.report.closings)),
            "placed_to_dispatched_s": _pcts(self.report.to_dispatched),
            "placed_to_closed_s": _pcts(self.report.to_closed),
            "closed_s_first_last_quarter": [round(m, 2) for m in medians] if medians else None,
            "db_ops": self.ops.total, "kafka_produced": self.produced,
            "kafka_consumed": self.consumed, **self.extra,
        }


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


def _pcts(values: list[float]) -> dict[str, float | None]:
    return {f"p{p}": _round(percentile(values, p), 3) for p in (50, 99)}


class Loop:
    """Load runs against one stack, each counted from its start to its orders closing."""

    def __init__(self, stack: BenchStack, counters: AsyncMongoClient[dict[str, Any]],
                 own: Ops, stations: int, say: Any) -> None:
        self.stack, self.counters, self.own = stack, counters, own
        self.stations, self.say = stations, say

    async def run(self, rate: float, orders: int) -> Run:
        """Place ``orders`` at ``rate``/s and count the work until they are all closed."""
        bootstrap = self.stack.kafka_bootstrap
        before = (await probes.read_ops(self.counters), await probes.produced(bootstrap),
                  await probes.consumed(bootstrap))
        after: list[Any] = []

        async def settled() -> None:
            await asyncio.sleep(2)  # the last commits of the closing events' consumers
            after.extend([await probes.read_ops(self.counters), await probes.produced(bootstrap),
                          await probes.consumed(bootstrap)])
        plan = LoadPlan(stations=self.stations, orders=orders, rate=rate)
        report = await run_load(plan, Target(self.stack.urls, bootstrap), stall_s=90,
                                settled=settled)
        run = Run(rate, orders, report, (after[0] - before[0]).less(self.own, 1),
                  after[1] - before[1], after[2] - before[2])
        s = run.summary()
        self.say(f"  {orders} orders at {rate:g}/s: closed {run.closed}, "
                 f"{s['closed_per_s']} closed/s, keeps up: {s['keeps_up']}, "
                 f"placed→closed p50 {s['placed_to_closed_s']['p50']} s, "
                 f"{run.ops.total} db ops")
        return run

    async def cost(self, rate: float, small: int, large: int) -> tuple[dict[str, Any], Ops, int]:
        """The work of one closed order: a large run less a small one, per extra order; and
        the extra operations with the number of orders they closed."""
        a, b = await self.run(rate, small), await self.run(rate, large)
        orders = b.closed - a.closed
        extra = b.ops - a.ops
        return {
            "rate": rate, "runs": [a.summary(), b.summary()], "orders": orders,
            "db_ops_per_order": round(extra.total / orders, 1) if orders > 0 else None,
            "db_ops_by_kind": per(extra.kinds, orders),
            "db_commands": per(extra.commands, orders),
            "db_ops_by_service": per(extra.databases, orders),
            "db_ops_by_collection": per(extra.collections, orders),
            "kafka_produced_per_order": round((b.produced - a.produced) / orders, 2)
            if orders > 0 else None,
            "kafka_consumed_per_order": round((b.consumed - a.consumed) / orders, 2)
            if orders > 0 else None,
        }, extra, orders

    async def knee(self, rates: list[float], step_s: float, min_orders: int,
                   refine: bool) -> dict[str, Any]:
        """Raise the rate until a step stops keeping up; the last that kept up is the knee."""
        steps: list[Run] = []
        good: Run | None = None
        failed: float | None = None
        errors: list[dict[str, Any]] = []
        for rate in rates:
            try:
                step = await self.run(rate, max(min_orders, math.ceil(rate * step_s)))
            except Exception as exc:  # overloaded so far that the load run itself gave up
                self.say(f"  {rate:g}/s: the run failed: {exc!r}"[:300])
                errors.append({"rate": rate, "error": repr(exc)[:300]})
                failed = rate
                break
            steps.append(step)
            if not keeps_up(step.rate, step.orders, step.report.closings):
                failed = rate
                break
            good = step
        if refine and good is not None and failed is not None:
            middle = round(math.sqrt(good.rate * failed), 2)
            try:
                step = await self.run(middle, max(min_orders, math.ceil(middle * step_s)))
            except Exception as exc:
                errors.append({"rate": middle, "error": repr(exc)[:300]})
            else:
                steps.append(step)
                if keeps_up(step.rate, step.orders, step.report.closings):
                    good = step
        return {"steps": [s.summary() for s in steps], "failed_runs": errors,
                "rate": good.rate if good else None,
                "closed_per_s": _round(closing_rate(good.report.closings)) if good else None,
                "first_failing_rate": failed}

    async def idle(self, settle_s: float, seconds: float) -> dict[str, Any]:
        """Operations per second with every service running and nothing to do."""
        await asyncio.sleep(settle_s)
        start = await probes.read_ops(self.counters)
        await asyncio.sleep(seconds)
        ops = (await probes.read_ops(self.counters) - start).less(self.own, 1)
        return {"seconds": seconds, "db_ops_per_s": round(ops.total / seconds, 2),
                "by_kind": per(ops.kinds, seconds), "by_command": per(ops.commands, seconds),
                "by_service": per(ops.databases, seconds),
                "by_collection": per(ops.collections, seconds)}
