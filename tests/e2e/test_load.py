"""The station load generator against the five services: every order accounted for, and
every figure stats publishes of the run equal to what the owning services list.

``make test`` runs a short load; ``make load-ci`` (in CI) runs 2,000 orders from 20 stations
through this same test. The figures are written to .local/test-output/load/<tag>.txt.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from civiloop_devstack.load.console import summary
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.run import Target, run_load
from tests.e2e.agree import settled_disagreements
from tests.e2e.stack import Stack

OUT = Path(__file__).resolve().parents[2] / ".local" / "test-output" / "load"
STATIONS = int(os.environ.get("LOAD_STATIONS", "20"))
ORDERS = int(os.environ.get("LOAD_ORDERS", "200"))
RATE = float(os.environ.get("LOAD_RATE", "3"))
# The run takes ORDERS / RATE seconds of placing at least; room for a slower machine to
# fall behind, for the stack to start and for the accounting at the end.
LIMIT_S = 2 * ORDERS / RATE + 600


@pytest.mark.timeout(LIMIT_S)
def test_every_order_a_station_publishes_is_served_rated_and_closed(
        stack: Stack, infra: Any) -> None:
    plan = LoadPlan(stations=STATIONS, orders=ORDERS, rate=RATE)
    report = asyncio.run(run_load(plan, Target(stack.urls, infra.kafka_bootstrap),
                                  stall_s=120))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"ld{plan.tag}.txt").write_text("\n".join(summary(plan, report)) + "\n")
    assert (report.published, report.lost, report.dead_lettered) == (plan.orders, 0, {})
    assert dict(report.statuses) == {"closed": plan.orders}
    assert dict(report.outcomes) == {"rated": plan.orders}
    assert dict(report.reached) == dict.fromkeys(("placed", "completed", "rated", "closed"),
                                                 plan.orders)
    # Every order's own timeline says when it was dispatched and closed.
    assert len(report.to_dispatched) == len(report.to_closed) == plan.orders
    assert all(0 <= d <= c for d, c in zip(sorted(report.to_dispatched),
                                          sorted(report.to_closed), strict=True))
    # Every figure stats publishes of the run's district is the owning services' count.
    found = settled_disagreements(stack.urls)
    assert not found, "\n".join(found)
