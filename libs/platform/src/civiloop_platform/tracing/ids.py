"""Trace ids keyed by correlation ids: every span of one story lands in one trace.

A correlation id that is a UUID (what services and frontends make) is its trace id as it
stands, so the id in a log line is the id to search the tracing backend for; any other
string is hashed to one. A span that starts a trace takes its story's id through
``CorrelationIdGenerator``, so processes that share no context still agree.
"""

from __future__ import annotations

import contextvars
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace.id_generator import RandomIdGenerator

_ROOT_TRACE: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "civiloop_root_trace", default=None)


def trace_id_of(correlation_id: str) -> int:
    """The 128-bit trace id of a story: its UUID's bits, else the first half of a SHA-256."""
    try:
        value = uuid.UUID(correlation_id).int
    except ValueError:
        value = int.from_bytes(hashlib.sha256(correlation_id.encode()).digest()[:16], "big")
    return value or 1  # the all-zero id is invalid in W3C trace context


def correlation_of(trace_id: int) -> str:
    """The correlation id whose trace is ``trace_id`` (its UUID form)."""
    return str(uuid.UUID(int=trace_id))


@contextmanager
def rooted_in(trace_id: int) -> Iterator[None]:
    """A span started here without a parent starts trace ``trace_id``."""
    token = _ROOT_TRACE.set(trace_id)
    try:
        yield
    finally:
        _ROOT_TRACE.reset(token)


class CorrelationIdGenerator(RandomIdGenerator):
    """Random span ids; trace ids from the story being started, where one is."""

    def generate_trace_id(self) -> int:
        """The trace id ``rooted_in`` named, else a random one."""
        return _ROOT_TRACE.get() or super().generate_trace_id()
