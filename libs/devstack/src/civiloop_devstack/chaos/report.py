"""A chaos run's account: the figures as JSON, and the same as lines for a terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from civiloop_devstack.chaos.faults import Injected
from civiloop_devstack.chaos.figures import Closings, as_json, in_flight, rounded
from civiloop_devstack.chaos.plan import ChaosPlan
from civiloop_devstack.load.report import Percentiles, Report

SHOWN = 20  # findings listed per check; the count says how many there were


@dataclass
class ChaosReport:
    """What the load found, what was injected, and every check's findings."""

    plan: ChaosPlan
    load: Report
    injected: list[Injected]
    duplicates: list[str]
    dead_lettered: int
    dead_letter_findings: list[str]
    out_of_order: list[str]
    outbox_drained_s: float | None
    outbox_pending_at_end: int | None
    took_s: float
    load_average: str
    extra: dict[str, Any] = field(default_factory=dict)
    """Figures the caller adds (the stats recount, done by the test)."""

    @property
    def last_recovery(self) -> datetime | None:
        """When the last fault was over: the part answered again, or the harness ended it."""
        ends = [f.back or f.ended or f.at for f in self.injected]
        return max(ends) if ends else None

    @property
    def not_closed(self) -> int:
        """Orders found in requests that are not closed."""
        return self.load.found - self.load.statuses["closed"]

    def faults(self) -> list[dict[str, Any]]:
        """Each fault with its times and recovery."""
        closings = Closings([datetime.fromisoformat(s["at"])
                             for steps in self.load.timelines.values()
                             for s in steps if s["step"] == "close"])
        return [{"kind": str(f.kind), "target": f.target, "at": f.at.isoformat(),
                 "ended": f.ended.isoformat() if f.ended else None,
                 "back_after_s": rounded((f.back - f.at).total_seconds(), 1) if f.back
                 else None, "in_flight": in_flight(self.load.timelines, f.at),
                 "detail": f.detail, **as_json(closings.recovery(f.at))}
                for f in self.injected]

    def figures(self) -> dict[str, Any]:
        """The run's figures, as `make chaos` writes them."""
        load, plan = self.load, self.plan.load
        return {
            "run": f"ld{plan.tag}", "orders": plan.orders, "stations": plan.stations,
            "rate": plan.rate, "took_s": round(self.took_s), "load_average": self.load_average,
            "placed": load.published, "found": load.found, "lost": load.lost,
            "not_closed": self.not_closed, "statuses": dict(load.statuses),
            "faults_injected": len(self.injected), "faults": self.faults(),
            "duplicates": len(self.duplicates), "duplicate_findings": self.duplicates[:SHOWN],
            "dlq": self.dead_lettered, "dlq_findings": self.dead_letter_findings[:SHOWN],
            "out_of_order": len(self.out_of_order),
            "out_of_order_findings": self.out_of_order[:SHOWN],
            "outbox_drained_s": rounded(self.outbox_drained_s, 1),
            "outbox_pending_at_end": self.outbox_pending_at_end,
            "placed_to_dispatched_s": _percentiles(load.to_dispatched),
            "placed_to_closed_s": _percentiles(load.to_closed),
            "closed_per_s": rounded(load.closed_per_s),
            "unanswered_calls": load.unanswered.total(), **self.extra,
        }

    def lines(self) -> list[str]:
        """The figures as lines of text."""
        f = self.figures()
        lines = [f"chaos run {f['run']}: {f['orders']} orders from {f['stations']} stations "
                 f"at {f['rate']:g}/s, {f['took_s']} s (load average {f['load_average']})",
                 f"placed {f['placed']}  found {f['found']}  lost {f['lost']}  not closed "
                 f"{f['not_closed']}  duplicates {f['duplicates']}  dlq {f['dlq']} (poison "
                 f"{f.get('poison')})  out of order {f['out_of_order']}",
                 f"outbox drained {f['outbox_drained_s']} s after the last recovery; pending "
                 f"at the end {f['outbox_pending_at_end']}",
                 f"placed → closed {f['placed_to_closed_s']}  closed/s {f['closed_per_s']}"]
        lines += [f"  {x['kind']:<9} {x['target']:<18} {x['in_flight']:>3} in flight, back "
                  f"after {x['back_after_s']} s, closed/s {x['closed_per_s_before']} → "
                  f"lowest {x['closed_per_s_lowest']}, "
                  f"recovered after {x['recovery_s']} s  ({x['detail']})" for x in f["faults"]]
        lines += [f"  finding: {x}" for key in ("duplicate_findings", "dlq_findings",
                                                "out_of_order_findings") for x in f[key]]
        return lines


def _percentiles(seconds: list[float]) -> dict[str, float] | None:
    p = Percentiles.of(seconds)
    return None if p is None else {"p50": round(p.p50, 2), "p95": round(p.p95, 2),
                                   "p99": round(p.p99, 2), "max": round(p.max, 2)}
