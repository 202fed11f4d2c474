"""Which handler applies each event the ``volunteers-orders`` group consumes."""

from __future__ import annotations

from civiloop_contracts.events.dispatch import (
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
)
from civiloop_contracts.events.requests import OrderCancelled, OrderClosed, OrderPlaced
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler
from civiloop_volunteers.app.activities import activity_handlers
from civiloop_volunteers.app.dispatched import (
    on_cancelled,
    on_closed,
    on_dispatched,
    on_escalated,
    on_placed,
    on_unassignable,
    on_withdrawn,
)

ORDER_HANDLERS: dict[type[Payload], Handler] = {
    OrderDispatched: on_dispatched,
    OrderRedispatched: on_dispatched,
    OrderWithdrawn: on_withdrawn,
    OrderEscalated: on_escalated,
    OrderUnassignable: on_unassignable,
    OrderPlaced: on_placed,
    OrderCancelled: on_cancelled,
    OrderClosed: on_closed,
}
"""Dispatch's offers and withdrawals, requests' order facts."""


def handlers(thresholds: tuple[float, ...], margin_h: float) -> dict[type[Payload], Handler]:
    """Every handler of the group, the hours rules set from the settings."""
    return {**ORDER_HANDLERS, **activity_handlers(thresholds, margin_h)}
