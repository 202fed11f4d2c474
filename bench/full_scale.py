"""Benchmark: list pages, figures and dispatch decisions of a running full-scale district.

Run after `make district` against `make run` (``python -m bench.full_scale``; the services'
ports follow CIVILOOP_HTTP_FIRST_PORT). For each read it prints the median and the slowest of
``--repeat`` calls; for dispatch, the time from placing an order to its dispatch (requests'
timeline) for ``--orders`` orders at different communities. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from civiloop_devstack.demo import bearer
from civiloop_devstack.district.plan import CENTRE, DistrictPlan
from civiloop_devstack.services import local_urls

ADMIN = bearer("district_admin", "bench-admin")
V = "/api/v1/volunteers"


def _timed(client: httpx.Client, url: str, headers: dict[str, str], repeat: int,
           **params: Any) -> tuple[float, float, Any]:
    took, body = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        reply = client.get(url, params=params, headers=headers)
        took.append(time.perf_counter() - started)
        reply.raise_for_status()
        body = reply.json()
    return statistics.median(took) * 1000, max(took) * 1000, body


def reads(urls: dict[str, str], plan: DistrictPlan, repeat: int) -> None:
    """Time the lists, searches and figures a desk opens."""
    station, town = plan.stations[0]
    operator = bearer("station_operator", "bench-op", station, town, CENTRE)
    vol, stats = urls["volunteers"] + V, urls["stats"] + "/api/v1/stats"
    with httpx.Client(timeout=120) as client:
        orgs = client.get(f"{vol}/organisations", headers=ADMIN,
                          params={"page_size": 1}).json()["items"]
        total = client.get(vol, headers=ADMIN, params={"page_size": 1}).json()["total"]
        last = max(1, -(-total // 50))
        print(f"{total} registered volunteers")
        cases: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
            ("volunteers, district, page 1", vol, ADMIN, {"page_size": 50}),
            ("volunteers, district, last page", vol, ADMIN, {"page_size": 50, "page": last}),
            ("volunteers, station, page 1", vol, operator, {"page_size": 50}),
            ("volunteers, search 王 (district)", vol, ADMIN, {"q": "王", "page_size": 50}),
            ("volunteers, search by number", vol, ADMIN, {"q": "KQ00100000"}),
            ("volunteers, filter platform", vol, ADMIN, {"platform": "theory"}),
            ("teams, district", f"{vol}/teams", ADMIN, {"page_size": 50}),
            ("organisations, search", f"{vol}/organisations", ADMIN, {"q": "昆区"}),
            ("stats figures, district", f"{stats}/figures", ADMIN, {"unit": CENTRE}),
            ("stats figures, station", f"{stats}/figures", ADMIN, {"unit": station}),
            ("stats star levels, district", f"{stats}/tables/star-levels", ADMIN,
             {"unit": CENTRE}),
        ]
        if orgs:  # not before the load reached its organisations step
            cases.append(("organisation with figures",
                          f"{vol}/organisations/{orgs[0]['organisation_id']}", ADMIN, {}))
        for name, url, headers, params in cases:
            median, slowest, _ = _timed(client, url, headers, repeat, **params)
            print(f"{name:<34} median {median:8.1f} ms   max {slowest:8.1f} ms")


def dispatches(urls: dict[str, str], plan: DistrictPlan, orders: int) -> None:
    """Place orders at several communities; time placed → dispatched from the timeline."""
    req = urls["requests"] + "/api/v1/requests"
    took = []
    with httpx.Client(timeout=60) as client:
        for i in range(orders):
            station, town = plan.stations[i % len(plan.stations)]
            operator = bearer("station_operator", "bench-op", station, town, CENTRE)
            start = datetime.now(UTC) + timedelta(days=1)
            made = client.post(f"{req}/orders", headers=operator, json={
                "unit": {"centre": CENTRE, "institute": town, "station": station},
                "category": "legal_aid", "need": "咨询继承问题", "place": "3号楼",
                "answers": {"topic": "family"},
                "window": {"start": start.isoformat(),
                           "end": (start + timedelta(hours=2)).isoformat()}})
            made.raise_for_status()
            order_id = made.json()["order_id"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                steps = client.get(f"{req}/orders/{order_id}/timeline", headers=ADMIN).json()
                found = [s for s in steps.get("steps", []) if s.get("status") == "dispatched"]
                if found:
                    placed = datetime.fromisoformat(steps["steps"][0]["at"])
                    took.append((datetime.fromisoformat(found[0]["at"]) - placed)
                                .total_seconds())
                    break
                time.sleep(0.2)
    if took:
        print(f"placed → dispatched over {len(took)} orders: median "
              f"{statistics.median(took) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms")
    else:
        print("no order was dispatched within 120 s")


def main() -> None:
    """Parse the options and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--orders", type=int, default=5)
    args = parser.parse_args()
    urls, plan = local_urls(), DistrictPlan(args.scale)
    reads(urls, plan, args.repeat)
    dispatches(urls, plan, args.orders)


if __name__ == "__main__":
    main()
