"""Kafka subscriptions of the volunteers service: dispatch's offers and requests' order facts."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, REQUESTS
from civiloop_platform.messages import Subscription
from civiloop_volunteers.app.handlers import handlers
from civiloop_volunteers.config import Settings


def orders(settings: Settings) -> Subscription:
    """Offers and withdrawals from dispatch; placed, cancelled and closed orders and held
    activities (hours of their staff) from requests."""
    return Subscription("volunteers-orders", [DISPATCH, REQUESTS],
                        handlers(settings.star_thresholds_h, settings.hours_margin_h))
