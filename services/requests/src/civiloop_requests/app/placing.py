"""Placing an order (群众点单), whichever way it came in: HTTP, station intake or Open311."""

from __future__ import annotations

import uuid
from datetime import datetime

from civiloop_platform.store.versioned import Taken
from civiloop_requests.app.announce import Announce, publish_change
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.actor import Actor
from civiloop_requests.domain.catalogue import Category
from civiloop_requests.domain.duplicates import find_duplicate
from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order, place_order

SOURCE = "civiloop/requests"
_IDS = uuid.UUID("5f0e4c52-6a51-4d0c-9a55-c1f1100f0001")  # namespace of derived order ids

__all__ = ["SOURCE", "AlreadyPlaced", "Announce", "derived_order_id", "new_order_id", "place"]


def new_order_id() -> str:
    """A fresh order id."""
    return f"ord-{uuid.uuid4().hex}"


def derived_order_id(*parts: str) -> str:
    """The same order id every time for the same parts (a frontend's request, a retried key)."""
    return f"ord-{uuid.uuid5(_IDS, chr(31).join(parts)).hex}"


class AlreadyPlaced(Exception):
    """An order with the derived id exists: the request was placed before."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} was placed already")
        self.order_id = order_id


async def place(uow: UnitOfWork, order_id: str, new: NewOrder, at: datetime,
                announce: Announce, *, by: Actor, note: str | None = None,
                fingerprint: str | None = None, category: Category | None = None) -> Order:
    """Store ``new`` as order ``order_id`` and announce it, or link it to the open order it repeats.

    ``by`` is who placed it (the timeline's first actor).
    AlreadyPlaced when ``order_id`` is taken: a republished request or a retried call.
    """
    category = category or await uow.menu.get(new.category)  # read once per placing
    first = None
    if new.requester.resident_id is not None and new.unit.station is not None:
        candidates = await uow.orders.open_of(new.requester.resident_id, new.category,
                                              new.unit.station)
        first = find_duplicate(new, candidates)
    order, raised = place_order(order_id, new, category, at, by,
                                first.order_id if first else None, note)
    order.fingerprint = fingerprint
    try:
        await uow.orders.add(order)
    except Taken:
        raise AlreadyPlaced(order_id) from None
    publish_change(uow, order, raised, announce, lines_before=0)
    return order
