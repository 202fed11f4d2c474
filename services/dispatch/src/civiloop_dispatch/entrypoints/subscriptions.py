"""Kafka subscriptions of the dispatch service: which topics reach which handler table."""

from __future__ import annotations

from civiloop_contracts.topics import REQUESTS, VOLUNTEERS
from civiloop_dispatch.app.handlers import ORDER_HANDLERS, VOLUNTEER_HANDLERS
from civiloop_platform.messages import Subscription


def subscriptions(group: str) -> list[Subscription]:
    """The service's consumer groups, named after ``group``."""
    return [Subscription(f"{group}-orders", [REQUESTS], ORDER_HANDLERS),
            Subscription(f"{group}-volunteers", [VOLUNTEERS], VOLUNTEER_HANDLERS)]
