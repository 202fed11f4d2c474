"""Kafka subscriptions of the stats service: every topic, into the read models."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, FEEDBACK, REQUESTS, VOLUNTEERS
from civiloop_platform.messages import Subscription
from civiloop_stats.app.handlers import HANDLERS

TOPICS = [REQUESTS, DISPATCH, VOLUNTEERS, FEEDBACK]
# Nobody waits on the figures by the second: a poll gathers what comes within this, so a
# busy second's events are one transaction and each order's document one write.
GATHER_S = 1.0


def figures(group: str) -> Subscription:
    """District figures: facts from every service's events (intake is requests' to judge)."""
    return Subscription(group, TOPICS, HANDLERS, gather_s=GATHER_S)
