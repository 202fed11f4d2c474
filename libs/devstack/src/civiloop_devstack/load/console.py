"""The load run on a terminal: a progress bar while it runs, the account at the end."""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.report import Percentiles, Report
from civiloop_devstack.load.run import Target, run_load
from civiloop_devstack.load.tally import Tally


def run_with_progress(plan: LoadPlan, target: Target, console: Console,
                      stall_s: float) -> Report:
    """Run ``plan`` with a live bar of closed orders and the counts behind it."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("closed", total=plan.orders)

        def show(t: Tally) -> None:
            bar.update(task, completed=t.closed, description=(
                f"placed {t.published} · accepted {t.accepted} · completed {t.completed} · "
                f"rated {t.rated} · closed"))
        return asyncio.run(run_load(plan, target, stall_s=stall_s, show=show,
                                    say=console.print))


def _line(name: str, p: Percentiles | None) -> str:
    if p is None:
        return f"{name:<22} (fewer than two orders)"
    return (f"{name:<22} p50 {p.p50:7.2f} s   p95 {p.p95:7.2f} s   p99 {p.p99:7.2f} s   "
            f"max {p.max:7.2f} s   (n={p.count})")


def summary(plan: LoadPlan, report: Report) -> list[str]:
    """The account of a run as lines of text."""
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items()))
    lines = [f"load run ld{plan.tag}: {plan.orders} orders from {plan.stations} stations at "
             f"{plan.rate:g}/s",
             f"placed {report.published}   found in requests {report.found}   "
             f"dead-lettered {len(report.dead_lettered)}   lost {report.lost}",
             "timelines: " + "   ".join(f"{k} {report.reached[k]}" for k in
                                        ("placed", "completed", "rated", "closed")),
             f"statuses: {statuses or 'none'}",
             _line("placed → dispatched", Percentiles.of(report.to_dispatched)),
             _line("placed → closed", Percentiles.of(report.to_closed))]
    if (rate := report.closed_per_s) is not None:
        lines.append(f"throughput: {rate:.1f} orders closed per second "
                     f"(first placing to last closing)")
    if report.unanswered:
        kinds = ", ".join(f"{kind} {n}" for kind, n in report.unanswered.most_common())
        lines.append(f"calls that went unanswered and were tried again: "
                     f"{report.unanswered.total()} ({kinds})")
    lines += [f"dead letter {key}: {why}" for key, why in sorted(report.dead_lettered.items())]
    return lines
