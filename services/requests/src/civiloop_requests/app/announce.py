"""How a change to an order is announced: the events it raised, then its new timeline lines."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.order import Order


class Announce(Protocol):
    """Wraps a payload as this service's event; ``time`` is when it happened, if not now."""

    def __call__(self, payload: Payload, time: datetime | None = None) -> Envelope:
        """The envelope to publish."""
        ...


def publish_change(uow: UnitOfWork, order: Order, raised: list[Payload], announce: Announce,
                   *, lines_before: int) -> None:
    """Queue what a change raised, then an OrderStepRecorded per timeline line it recorded
    (the order had ``lines_before`` lines before the change).

    Each line goes out at its own time (that of the report it came from), so whoever counts
    the order's life from these events (stats) sees the times requests' timeline shows.
    """
    for payload in raised:
        uow.publish(announce(payload))
    for step, at in order.steps_since(lines_before):
        uow.publish(announce(step, at))
