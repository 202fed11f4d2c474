"""Recovery per fault, read afterwards from when requests closed each order.

A fault's recovery time runs from its injection to the first moment from which orders
close at the rate they closed before it again: the rate of the ``WINDOW_S`` seconds from that
moment on, having dropped below ``SHARE`` of the rate of the ``BEFORE_S`` seconds before the
fault, is back at or above it. A fault the closing rate never felt (no drop within
``DROP_WITHIN_S``) recovered in 0 s.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

WINDOW_S = 20.0
BEFORE_S = 60.0
SHARE = 0.8
DROP_WITHIN_S = 180.0
STEP_S = 1.0


@dataclass(frozen=True)
class Recovery:
    """The closing rate before a fault, its lowest after, and when it was back."""

    before: float | None
    lowest: float | None
    after_s: float | None
    """Seconds from injection until back; 0 when it never dropped; None if never back."""


class Closings:
    """When orders closed, to ask how many closed per second in any window."""

    def __init__(self, closed_at: list[datetime]) -> None:
        self.times = sorted(t.timestamp() for t in closed_at)

    def rate(self, start: float, end: float) -> float:
        """Orders closed per second in [start, end)."""
        count = bisect.bisect_left(self.times, end) - bisect.bisect_left(self.times, start)
        return count / (end - start)

    def recovery(self, at: datetime) -> Recovery:
        """How closing went after a fault injected ``at`` (see the module's definition)."""
        t0 = at.timestamp()
        if not self.times or self.times[0] > t0 - WINDOW_S:
            return Recovery(None, None, None)  # nothing closed yet to compare with
        before = self.rate(max(t0 - BEFORE_S, self.times[0]), t0)
        if before == 0:
            return Recovery(before, None, None)
        lowest, dropped, s = before, None, t0
        while s + WINDOW_S <= self.times[-1]:  # a window past the last closing says nothing
            rate = self.rate(s, s + WINDOW_S)
            lowest = min(lowest, rate)
            if dropped is None and rate < SHARE * before:
                dropped = s
            elif dropped is not None and rate >= SHARE * before:
                return Recovery(before, lowest, s - t0)
            if dropped is None and s - t0 > DROP_WITHIN_S:
                return Recovery(before, lowest, 0.0)
            s += STEP_S
        return Recovery(before, lowest, None if dropped is not None else 0.0)


def in_flight(timelines: Mapping[str, list[dict[str, Any]]], at: datetime) -> int:
    """Orders placed before ``at`` and not closed by then: what a fault injected at ``at``
    struck (a fault that struck none tested nothing)."""
    def first(steps: list[dict[str, Any]], step: str) -> datetime | None:
        return next((datetime.fromisoformat(s["at"]) for s in steps if s["step"] == step), None)

    return sum(1 for steps in timelines.values()
               if (placed := first(steps, "place")) is not None and placed <= at
               and ((closed := first(steps, "close")) is None or closed > at))


def rounded(value: float | None, digits: int = 2) -> float | None:
    """``value`` rounded for the report, None kept."""
    return None if value is None else round(value, digits)


def as_json(recovery: Recovery) -> dict[str, Any]:
    """The recovery as the report's JSON shows it."""
    return {"closed_per_s_before": rounded(recovery.before),
            "closed_per_s_lowest": rounded(recovery.lowest),
            "recovery_s": rounded(recovery.after_s, 1)}
