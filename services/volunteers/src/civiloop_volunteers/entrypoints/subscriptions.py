"""Kafka subscriptions of the volunteers service: dispatch's offers and requests' order facts."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, REQUESTS
from civiloop_platform.messages import Subscription
from civiloop_volunteers.app.activities import activity_handlers
from civiloop_volunteers.app.dispatched import HANDLERS
from civiloop_volunteers.config import Settings


def orders(settings: Settings) -> Subscription:
    """Offers and withdrawals from dispatch; placed, cancelled and closed orders and held
    activities (hours of their staff) from requests."""
    return Subscription("volunteers-orders", [DISPATCH, REQUESTS], {
        **HANDLERS, **activity_handlers(settings.star_thresholds_h, settings.hours_margin_h)})
