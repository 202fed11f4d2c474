"""What the use cases need from the unit of work; RequestsUnitOfWork (and test fakes) provide it."""

from __future__ import annotations

from typing import Protocol

from civiloop_contracts.envelope import Envelope
from civiloop_requests.domain.order import Order


class Orders(Protocol):
    """The orders repository as the use cases see it."""

    async def get(self, order_id: str) -> Order | None:
        """The order, or None if there is none with this id."""
        ...

    async def add(self, order: Order) -> None:
        """Store a new order."""
        ...

    async def save(self, order: Order) -> None:
        """Write back an order read with ``get``."""
        ...


class UnitOfWork(Protocol):
    """A transaction in progress: its repositories, and the events it will publish."""

    @property
    def orders(self) -> Orders:
        """The orders repository bound to this transaction."""
        ...

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it is published only if the work commits."""
        ...
