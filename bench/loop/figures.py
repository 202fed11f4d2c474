"""The loop benchmark's arithmetic: counter deltas, cost per order, the knee, limits, ratio.

Pure functions over numbers the benchmark read; no I/O, so a unit test can check them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("insert", "query", "update", "delete", "getmore", "command")
WRITE_COMMANDS = ("findAndModify",)
# A step keeps up while orders close about as fast as they are placed and the orders placed
# last close about as fast as those placed first: a queue shows as latency that grows
# through the step, and as closings spread wider than the placings.
GROWTH_FLOOR_S = 2.0
CLOSING_SHARE = 0.8


@dataclass(frozen=True)
class Ops:
    """The store's operation counters at one moment (or a difference of two moments)."""

    kinds: Counter[str] = field(default_factory=Counter)
    """serverStatus opcounters: insert, query, update, delete, getmore, command."""
    commands: Counter[str] = field(default_factory=Counter)
    """serverStatus metrics.commands: how many of each command (hello, commitTransaction…)."""
    databases: Counter[str] = field(default_factory=Counter)
    """``top``: operations per database (so per service), summed over its collections."""
    collections: Counter[str] = field(default_factory=Counter)
    """``top``: operations per ``database.collection``."""

    def __sub__(self, other: Ops) -> Ops:
        return Ops(_minus(self.kinds, other.kinds), _minus(self.commands, other.commands),
                   _minus(self.databases, other.databases),
                   _minus(self.collections, other.collections))

    def less(self, own: Ops, times: int) -> Ops:
        """These counts without ``times`` × the reader's own ``own`` operations."""
        return Ops(_minus(self.kinds, _times(own.kinds, times)),
                   _minus(self.commands, _times(own.commands, times)),
                   _minus(self.databases, _times(own.databases, times)),
                   _minus(self.collections, _times(own.collections, times)))

    @property
    def total(self) -> int:
        """Every operation counted, of every kind."""
        return sum(self.kinds[k] for k in KINDS)


def _minus(a: Counter[str], b: Counter[str]) -> Counter[str]:
    return Counter({k: max(a[k] - b[k], 0) for k in set(a) | set(b)})


def _times(a: Counter[str], n: int) -> Counter[str]:
    return Counter({k: v * n for k, v in a.items()})


def per(ops: Counter[str], n: float) -> dict[str, float]:
    """Each count divided by ``n``, rounded to a tenth (nothing for n ≤ 0)."""
    return {k: round(v / n, 1) for k, v in sorted(ops.items()) if v} if n > 0 else {}


def marginal(small: Ops, large: Ops, small_orders: int, large_orders: int) -> Ops | None:
    """What the larger run did beyond the smaller one: the orders' own work, set-up cancelled."""
    return large - small if large_orders > small_orders else None


@dataclass(frozen=True)
class Mix:
    """One closed order's store work as the raw benchmark replays it, without logic."""

    transactions: float
    """two-write transactions (the loop commits one per event it applies)."""
    writes: float
    """single writes outside them."""
    reads: float
    """indexed reads."""

    @classmethod
    def of(cls, per_order: Ops, orders: int) -> Mix:
        """The mix of ``per_order`` operations (counted over ``orders`` orders)."""
        n = max(orders, 1)
        txns = per_order.commands["commitTransaction"] / n
        writes = (sum(per_order.kinds[k] for k in ("insert", "update", "delete"))
                  + sum(per_order.commands[c] for c in WRITE_COMMANDS)) / n
        reads = (per_order.kinds["query"] + per_order.kinds["getmore"]) / n
        return cls(round(txns, 2), round(max(writes - 2 * txns, 0.0), 2), round(reads, 2))

    @property
    def items(self) -> float:
        """Store calls per order in this mix (a transaction counts once)."""
        return self.transactions + self.writes + self.reads

    def schedule(self, length: int = 200) -> list[str]:
        """``length`` operations in the mix's proportions, spread evenly (deterministic)."""
        shares = {"txn": self.transactions, "write": self.writes, "read": self.reads}
        total = sum(shares.values()) or 1.0
        out: list[str] = []
        owed = dict.fromkeys(shares, 0.0)
        for _ in range(length):
            for kind, share in shares.items():
                owed[kind] += share / total
            kind = max(owed, key=lambda k: owed[k])
            owed[kind] -= 1.0
            out.append(kind)
        return out


def limit_orders_per_s(items_per_s: float, items_per_order: float) -> float | None:
    """Orders a second a resource can serve when each order needs ``items_per_order``."""
    return items_per_s / items_per_order if items_per_order > 0 else None


def ratio(loop: float | None, limit: float | None) -> float | None:
    """The loop's closed orders/s as a share of the limit's."""
    return round(loop / limit, 3) if loop and limit else None


def quartile_medians(closings: list[tuple[datetime, datetime]]) -> tuple[float, float] | None:
    """Median placed → closed of the first and the last quarter of orders, by placing time."""
    if len(closings) < 8:
        return None
    ordered = sorted(closings)
    q = len(ordered) // 4
    seconds = [(c - p).total_seconds() for p, c in ordered]
    return statistics.median(seconds[:q]), statistics.median(seconds[-q:])


def keeps_up(rate: float, orders: int, closings: list[tuple[datetime, datetime]]) -> bool:
    """Every order closed, at about the rate placed, and the last quarter's latency grew by
    less than a queue would make it."""
    if len(closings) < orders:
        return False
    medians, closing = quartile_medians(closings), closing_rate(closings)
    if medians is None or closing is None:
        return True
    first, last = medians
    return last - first <= max(GROWTH_FLOOR_S, first / 2) and closing >= CLOSING_SHARE * rate


def closing_rate(closings: list[tuple[datetime, datetime]]) -> float | None:
    """Orders closed per second between the first and the last closing."""
    if len(closings) < 2:
        return None
    closed = sorted(c for _, c in closings)
    span = (closed[-1] - closed[0]).total_seconds()
    return (len(closed) - 1) / span if span > 0 else None


def next_rates(start: float, factor: float, top: float) -> list[float]:
    """The rates a knee search tries: ``start`` × ``factor``ⁿ up to ``top``."""
    rates, rate = [], start
    while rate <= top + 1e-9:
        rates.append(round(rate, 2))
        rate *= factor
    return rates


def percentile(values: list[float], p: int) -> float | None:
    """The p-th percentile (inclusive method), or None for fewer than two values."""
    if len(values) < 2:
        return None
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]
