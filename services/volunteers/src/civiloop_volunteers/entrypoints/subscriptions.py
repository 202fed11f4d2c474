"""Kafka subscriptions of the volunteers service: dispatch's offers and requests' order facts."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, REQUESTS
from civiloop_platform.messages import Subscription
from civiloop_volunteers.app.dispatched import HANDLERS

ORDERS = Subscription("volunteers-orders", [DISPATCH, REQUESTS], HANDLERS)
"""Offers and withdrawals from dispatch; placed, cancelled and closed orders from requests."""
