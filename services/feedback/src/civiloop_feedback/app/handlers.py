"""Which handlers each feedback consumer group applies, the time rules set from the settings."""

from __future__ import annotations

from civiloop_contracts.payload import Payload
from civiloop_feedback.app.activities import activity_handlers
from civiloop_feedback.app.intake import intake_handlers
from civiloop_feedback.app.loop import loop_handlers
from civiloop_feedback.app.policy import Policy
from civiloop_platform.messages import Handler


def order_handlers(policy: Policy) -> dict[type[Payload], Handler]:
    """``feedback-orders``: orders placed, cancelled, reopened and served; activities held."""
    return {**loop_handlers(policy), **activity_handlers()}


def rating_handlers(policy: Policy) -> dict[type[Payload], Handler]:
    """``feedback-intake``: ratings from station frontends."""
    return intake_handlers(policy)
