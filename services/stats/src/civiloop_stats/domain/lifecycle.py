"""An order's life as requests recorded it: the lines of its timeline, and what they reached.

Requests owns the order's status: it takes each report from dispatch, volunteers and
feedback in the order it hears of them and ignores a step the status forbids (a dispatch
after the cancel). It announces every line it records (OrderStepRecorded), and only
those; stats counts the order's milestones from them, so each figure is requests' count.

A later status implies the earlier ones (requests' own rule: a rating that overtook the
completion report says the order was served). An order reached a milestone with the first
line, in the order requests recorded them, whose status is or implies it; the line's time
is when that step happened. Reports carry their own times, so a later line may bear an
earlier time (a check-in a kiosk sends late): the recording order decides, not the time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from civiloop_stats.domain.facts import Change

SERVED_OUTCOMES = frozenset({"rated", "unrated"})
_ON_THE_WAY = frozenset({"dispatched", "declined", "expired"})
_TAKEN = frozenset({"accepted", "in_service"})
_DONE = frozenset({"completed", "rated"})
REACHED: dict[str, frozenset[str]] = {
    # milestone: the statuses that are or imply it (a served close implies up to completed)
    "dispatched": _ON_THE_WAY | _TAKEN | _DONE,
    "accepted": _TAKEN | _DONE,
    "completed": _DONE,
    "rated": frozenset({"rated"}),
    "cancelled": frozenset({"cancelled"}),
    "escalated": frozenset({"escalated"}),
    "unassignable": frozenset({"unassignable"}),
}


@dataclass(frozen=True)
class Line:
    """One OrderStepRecorded: its place in the timeline, the step, the status it led to."""

    seq: int
    step: str
    status: str
    at: datetime
    outcome: str | None = None

    def reaches(self, milestone: str) -> bool:
        """Whether this line shows the order at or past ``milestone``."""
        if self.status == "closed" and self.outcome in SERVED_OUTCOMES:
            return milestone in ("dispatched", "accepted", "completed") or (
                milestone == "rated" and self.outcome == "rated")
        return self.status in REACHED[milestone]


@dataclass(frozen=True)
class Life:
    """What the timeline says: when each milestone was first reached, closes and reopens."""

    placed_at: datetime | None
    reached: dict[str, datetime]
    closes: tuple[Change[str], ...]
    reopens: tuple[datetime, ...]


def life(lines: Iterable[Line]) -> Life:
    """The order's life from its timeline lines, whatever order they arrived in."""
    ordered = sorted(set(lines), key=lambda line: line.seq)
    reached: dict[str, datetime] = {}
    for milestone in REACHED:
        first = next((line for line in ordered if line.reaches(milestone)), None)
        if first is not None:
            reached[milestone] = first.at
    placed = next((line.at for line in ordered if line.step == "place"), None)
    return Life(placed_at=placed, reached=reached,
                closes=tuple(Change(line.at, line.outcome) for line in ordered
                             if line.outcome is not None),
                reopens=tuple(line.at for line in ordered if line.step == "reopen"))
