"""The whole loop under steady load while its parts die (`make chaos`, `make chaos-ci`):
nothing acknowledged is lost, nothing applied twice, only the poison dead-lettered, every
timeline in causal order, the outboxes drained, and stats equal to a recount from the owners.

The figures go to .local/test-output/chaos/<run>.json (and .txt); docs/reliability.md says
what they mean. Unset, CHAOS_ORDERS and CHAOS_FAULTS give CI's short run (300 orders, every
kind of fault once: 3–4 minutes on a quiet machine), which `make test` runs with the rest;
`make chaos` sets them for the full run.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import pytest

from civiloop_devstack.chaos.plan import FULL, SHORT, ChaosPlan, Kind
from civiloop_devstack.chaos.run import run_chaos
from civiloop_devstack.chaos.stack import chaos_stack
from civiloop_devstack.load.plan import LoadPlan
from tests.e2e.agree import settled_disagreements

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / ".local" / "test-output" / "chaos"
ORDERS = int(os.environ.get("CHAOS_ORDERS", "300"))
STATIONS = int(os.environ.get("CHAOS_STATIONS", "20"))
RATE = float(os.environ.get("CHAOS_RATE", "2"))
KEEP_DATA = os.environ.get("CHAOS_KEEP_DATA") == "1"  # the topics and databases, to look into
FAULTS = {"full": FULL, "short": SHORT}[os.environ.get("CHAOS_FAULTS", "short")]
# A bound far above what it takes (seconds), not a measurement: the figure is in the report.
DRAINED_WITHIN_S = 120.0
# Room for a machine three times slower than the rate, the stack's start and the checks.
LIMIT_S = 5 * ORDERS / RATE + 1800

pytestmark = pytest.mark.integration


def say(line: str) -> None:
    """Progress on the terminal as it happens (make chaos runs pytest with -s)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@pytest.mark.timeout(LIMIT_S)
def test_faults_under_load_lose_nothing_apply_nothing_twice_and_letter_only_the_poison() -> None:
    plan = ChaosPlan(load=LoadPlan(stations=STATIONS, orders=ORDERS, rate=RATE), faults=FAULTS)
    home = OUT / f"ld{plan.load.tag}"
    begun = time.monotonic()
    with chaos_stack(home, plan.partitions, say, keep_data=KEEP_DATA) as stack:
        ran = time.monotonic()
        report = asyncio.run(run_chaos(stack, plan, say))
        recount = time.monotonic()
        disagreements = settled_disagreements(stack.urls)
        checked = time.monotonic()
    # Where the wall time goes, for CI's budget (the run itself is ``took_s``).
    report.extra |= {"stats_disagreements": len(disagreements),
                     "stats_disagreement_findings": disagreements[:20],
                     "stack_start_s": round(ran - begun), "stats_recount_s": round(checked - recount),
                     "stack_stop_s": round(time.monotonic() - checked)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"ld{plan.load.tag}.json").write_text(
        json.dumps(report.figures(), ensure_ascii=False, indent=2) + "\n")
    (OUT / f"ld{plan.load.tag}.txt").write_text("\n".join(report.lines()) + "\n")
    for line in report.lines():
        say(line)
    x = report.extra
    say(f"chaos: stack start {x['stack_start_s']} s, run {report.took_s:.0f} s, stats recount "
        f"{x['stats_recount_s']} s, stack stop {x['stack_stop_s']} s")
    load = report.load
    assert (load.published, load.lost, load.dead_lettered) == (plan.load.orders, 0, {})
    assert dict(load.statuses) == {"closed": plan.load.orders}
    assert report.duplicates == []
    assert (report.dead_lettered, report.dead_letter_findings) == (report.extra["poison"], [])
    assert report.out_of_order == []
    # Every fault was injected, and everything it broke (but a replica taken away) came back.
    assert sorted((f.kind, f.target) for f in report.injected) == sorted(
        (f.kind, f.target) for f in plan.faults)
    assert [f for f in report.injected if f.back is None and f.kind is not Kind.SCALE_IN] == []
    # Every fault struck orders in flight (fewer orders must not leave one striking nothing).
    assert [f for f in report.faults() if f["in_flight"] == 0] == []
    assert report.outbox_pending_at_end == 0
    assert report.outbox_drained_s is not None
    assert report.outbox_drained_s <= DRAINED_WITHIN_S
    assert disagreements == []
