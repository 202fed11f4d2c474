"""The feedback service's configurable time rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Policy:
    """How long a rating may be changed, how long a served order waits for one, and how long
    a rating for an order not known here waits for the order's placement to arrive."""

    change_window: timedelta = timedelta(hours=48)
    lapse_after: timedelta = timedelta(days=7)
    order_wait: timedelta = timedelta(minutes=15)
