"""Kafka subscriptions of the requests service: which topics reach which handler table."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, FEEDBACK, VOLUNTEERS
from civiloop_platform.messages import Subscription
from civiloop_requests.app.loop import LOOP_HANDLERS

LOOP = Subscription("requests-loop", [DISPATCH, VOLUNTEERS, FEEDBACK], LOOP_HANDLERS)
"""Order status from the loop: what dispatch, volunteers and feedback report."""
