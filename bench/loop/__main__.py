"""``make bench-loop``: the closed loop against the raw limits of its store and Kafka.

One run, one fresh stack (Kafka and the store on free ports, the five services with their
production defaults), in this order: the cost of a closed order (a small and a large load
run at the same rate, differenced), the knee (the rate raised until placed → closed stops
keeping up), placed → dispatched at half the knee, idle work, then, with the services
stopped, the raw limits for the loop's own mix and event size. Prints the figures and
writes them all to a JSON file. Nothing here asserts a timing; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.loop import probes, profile, raw
from bench.loop.figures import Mix, limit_orders_per_s, next_rates, ratio
from bench.loop.report import lines
from bench.loop.stack import PARTITIONS, BenchStack, fresh_stack
from bench.loop.steps import Loop

ROOT = Path(__file__).resolve().parents[2]
HOPS = 5  # a record through each of the five services


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.loop", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stations", type=int, default=20)
    p.add_argument("--cost-rate", type=float, default=2.0, help="orders/s of the cost runs")
    p.add_argument("--cost-orders", default="40,160", help="the small and the large run")
    p.add_argument("--knee-start", type=float, default=1.0)
    p.add_argument("--knee-factor", type=float, default=1.5)
    p.add_argument("--knee-top", type=float, default=60.0)
    p.add_argument("--step-s", type=float, default=45.0, help="seconds of placing per step")
    p.add_argument("--half-s", type=float, default=60.0)
    p.add_argument("--idle-s", type=float, default=60.0)
    p.add_argument("--raw-s", type=float, default=15.0)
    p.add_argument("--no-knee", action="store_true", help="cost, idle and raw limits only")
    p.add_argument("--profile-s", type=int, default=0,
                   help="py-spy each service for this long during the large cost run")
    p.add_argument("--out", type=Path, default=ROOT / ".local" / "bench")
    return p.parse_args()


def _machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "system": platform.platform(), "python":
            platform.python_version(), "commit": commit,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_at_start": [round(x, 2) for x in os.getloadavg()]}


def _save(out: Path, figures: dict[str, Any]) -> None:
    """Write the figures so far (a run cut short keeps what it measured)."""
    (out / "figures.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


async def _loop_figures(stack: BenchStack, args: argparse.Namespace, out: Path,
                        figures: dict[str, Any]) -> Mix:
    """Everything measured with the services running; returns the loop's store mix."""
    counters = probes.counter_client(stack.mongo_url)
    try:
        figures["store"] = await probes.store_version(counters)
        own = await probes.own_ops(counters)
        stack.start_services()
        loop = Loop(stack, counters, own, args.stations, print)
        small, large = (int(x) for x in args.cost_orders.split(","))
        print(f"cost: {small} then {large} orders at {args.cost_rate:g}/s")
        spies = profile.start(stack.pids, out / "profile", args.profile_s) \
            if args.profile_s else []
        figures["cost"], extra, orders = await loop.cost(args.cost_rate, small, large)
        profile.wait(spies, args.profile_s + 30)
        if spies:
            figures["profile"] = profile.summarise(out / "profile")
        _save(out, figures)
        if not args.no_knee:
            print("knee:")
            figures["knee"] = await loop.knee(
                next_rates(args.knee_start, args.knee_factor, args.knee_top), args.step_s,
                min_orders=40, refine=True)
            if knee := figures["knee"]["rate"]:
                half = round(knee / 2, 2)
                print(f"half the knee: {half:g}/s (after 30 s for the last step's queue)")
                await asyncio.sleep(30)
                figures["half"] = (await loop.run(half, max(40, math.ceil(half * args.half_s)))
                                   ).summary()
            _save(out, figures)
        print(f"idle: {args.idle_s:g} s")
        figures["idle"] = await loop.idle(settle_s=20, seconds=args.idle_s)
        figures["event_bytes"] = await probes.event_size(stack.kafka_bootstrap)
        return Mix.of(extra, orders)
    finally:
        stack.stop_services()
        await counters.close()


async def _raw(stack: BenchStack, args: argparse.Namespace, mix: Mix,
               figures: dict[str, Any]) -> None:
    """The raw limits, with the services stopped, and the loop's share of them."""
    print("raw limits: store, then Kafka")
    store = await raw.store_mix(stack.mongo_url, mix, seconds=args.raw_s, clients=8)
    kafka = await raw.kafka_chain(stack.kafka_bootstrap, hops=HOPS,
                                  size=figures.get("event_bytes", 1024), records=20_000,
                                  partitions=PARTITIONS)
    consumed = figures["cost"].get("kafka_consumed_per_order") or 0.0
    kafka["orders_per_s"] = _round(limit_orders_per_s(kafka["hop_records_per_s"], consumed))
    figures["raw"] = {"store": store, "kafka": kafka}
    limits = [x for x in (store["orders_per_s"], kafka["orders_per_s"]) if x]
    limit = min(limits) if limits else None
    loop = figures.get("knee", {}).get("closed_per_s")
    figures["ratio"] = {"loop_closed_per_s": loop, "limit_orders_per_s": limit,
                        "loop_over_limit": ratio(loop, limit)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def main() -> None:
    """Run the benchmark and write its figures."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress, piped
    args = _args()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out / f"loop-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"machine": _machine()}
    with fresh_stack(out / "logs") as stack:
        mix = asyncio.run(_loop_figures(stack, args, out, figures))
        _save(out, figures)
        asyncio.run(_raw(stack, args, mix, figures))
    figures["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    _save(out, figures)
    for line in lines(figures):
        print(line)
    print(f"figures: {out / 'figures.json'}")


if __name__ == "__main__":
    main()
