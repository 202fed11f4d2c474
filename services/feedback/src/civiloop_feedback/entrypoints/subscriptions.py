"""Kafka subscriptions of the feedback service: which topics reach which handler table."""

from __future__ import annotations

from civiloop_contracts.topics import REQUESTS, STATION_INTAKE, VOLUNTEERS
from civiloop_feedback.app.handlers import order_handlers, rating_handlers
from civiloop_feedback.app.loop import LOOP_WANTS
from civiloop_feedback.app.policy import Policy
from civiloop_platform.messages import Subscription


def orders(policy: Policy) -> Subscription:
    """What the service knows of orders: placed, cancelled, reopened, served (and by whom);
    and of activities: held, and who attended (who may rate them)."""
    return Subscription("feedback-orders", [REQUESTS, VOLUNTEERS],
                        order_handlers(policy), wants=LOOP_WANTS)


def intake(policy: Policy) -> Subscription:
    """Ratings from station frontends; the topic's other types and its garbage are requests'.

    Requests owns the topic's dead letters: a record nobody can read is parked once, by
    requests; a rating this group refuses (bad stars, an unknown order) it parks itself.
    """
    return Subscription("feedback-intake", [STATION_INTAKE], rating_handlers(policy),
                        owns_dead_letters=False)
