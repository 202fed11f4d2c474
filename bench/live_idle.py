"""What the live hubs cost an idle system: database operations per second and service CPU.

Starts a fresh stack (infra, the five services, the gateway), lets it settle, then measures
three idle windows of equal length: nobody watching; one stream open on each of the four
live routes (each hub's change stream open); and again nobody watching after the hubs have
closed. Database operations are SecantusDB's ``serverStatus`` opcounters; CPU is the user +
system time of the five service processes from /proc. Measured, never asserted::

    uv run --frozen --python python3.11 python -m bench.live_idle --window 60
"""

from __future__ import annotations

import argparse
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from civiloop_devstack.demo import bearer
from civiloop_devstack.testinfra import choose
from tests.e2e.stack import running_stack

ROUTES = {"/api/v1/volunteers/offers/mine/live": bearer("volunteer", "v-bench", "s1", "i1"),
          "/api/v1/requests/orders/live": bearer("resident", "r-bench", "s1", "i1"),
          "/api/v1/dispatch/queue/live": bearer("dispatcher", "d-bench", None, "i1"),
          "/api/v1/feedback/follow-ups/live": bearer("station_operator", "o-bench", "s1", "i1")}


def opcount(mongo_url: str) -> int:
    """Every operation SecantusDB has counted so far (all kinds)."""
    client: MongoClient[dict[str, Any]]
    with MongoClient(mongo_url) as client:
        counters: dict[str, Any] = client.admin.command("serverStatus")["opcounters"]
    return sum(int(v) for v in counters.values())


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds the processes ``pids`` used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def window(label: str, seconds: float, mongo_url: str, pids: list[int]) -> tuple[float, float]:
    """Database operations per second and CPU % of the services over ``seconds``."""
    ops, cpu, started = opcount(mongo_url), cpu_s(pids), time.monotonic()
    time.sleep(seconds)
    took = time.monotonic() - started
    rate = (opcount(mongo_url) - ops - 2) / took  # less our own two serverStatus calls
    share = (cpu_s(pids) - cpu) / took * 100
    print(f"{label:<34} {rate:7.2f} db ops/s   services CPU {share:5.1f} %", flush=True)
    return rate, share


def listen(url: str, stop: threading.Event) -> None:
    """Hold one live stream open until ``stop``."""
    with httpx.stream("GET", url, timeout=httpx.Timeout(60)) as reply:
        for _ in reply.iter_lines():
            if stop.is_set():
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=60.0, help="seconds per window")
    args = parser.parse_args()
    logs = Path(".local/test-output/bench-live")
    with choose() as infra, running_stack(infra.kafka_bootstrap, infra.mongo_url, logs) as stack:
        pids = _service_pids(stack.urls)
        time.sleep(20)  # consumers joined, first lease rounds done
        window("idle, nobody watching", args.window, stack.mongo_url, pids)
        stop = threading.Event()
        threads = [threading.Thread(target=listen, daemon=True, args=(
            f"{stack.gateway}{path}?access_token={who['Authorization'][7:]}", stop))
            for path, who in ROUTES.items()]
        for thread in threads:
            thread.start()
        time.sleep(5)
        window("idle, 4 live streams open", args.window, stack.mongo_url, pids)
        stop.set()
        time.sleep(70)  # the hubs close 60 s after their last subscriber
        window("idle, streams gone, hubs closed", args.window, stack.mongo_url, pids)


def _service_pids(urls: dict[str, str]) -> list[int]:
    """The PIDs listening on the services' ports (as ``ss`` reports them)."""
    found = []
    for url in urls.values():
        port = url.rsplit(":", 1)[1]
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True,
                             text=True, check=True).stdout
        found.append(int(out.split("pid=")[1].split(",")[0]))
    return found


if __name__ == "__main__":
    main()
