"""How the use cases wrap what they raise in envelopes: after a request, or after an event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, make_event
from civiloop_platform.messages import Received

SOURCE = "civiloop/feedback"

Emit = Callable[[Payload], Envelope]
"""Wraps a payload the work raised in its envelope (correlation, causation, time)."""


def after_request(correlation_id: str | None, now: datetime) -> Emit:
    """Envelopes for what an HTTP request caused: its correlation id, happening ``now``."""
    return lambda payload: make_event(payload, source=SOURCE, correlation_id=correlation_id,
                                      time=now)


def after_event(cause: Received[Any]) -> Emit:
    """Envelopes for what a consumed event caused: same correlation, causation = its id."""
    return lambda payload: cause.follow_up(payload, source=SOURCE)


def new_id(prefix: str) -> str:
    """A fresh id for a rating or follow-up, e.g. ``fb-3f2a…``."""
    return f"{prefix}-{uuid.uuid4().hex[:20]}"
