"""The "+1" rule: a second open order for the same thing from the same resident is folded in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order


def find_duplicate(new: NewOrder, candidates: Iterable[Order]) -> Order | None:
    """The first-placed open order ``new`` repeats, or None if it is a fresh need.

    Same resident, same category, same station, and the earlier order not yet served,
    cancelled or closed. A station ordering on residents' behalf has no resident id and is
    never a duplicate: two group activities of one kind are two activities.
    """
    resident = new.requester.resident_id
    if resident is None:
        return None
    same = [o for o in candidates if o.is_open
            and o.requester.resident_id == resident and o.category == new.category
            and o.unit.station == new.unit.station and o.unit.institute == new.unit.institute]
    return min(same, key=_placed_at, default=None)


def _placed_at(order: Order) -> tuple[datetime, str]:
    """Sort key: when the order was placed, then its id so ties pick the same one every time."""
    return order.timeline[0].at, order.order_id
