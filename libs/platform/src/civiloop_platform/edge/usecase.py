"""One way every service runs an HTTP use case: in a transaction, again on a stale read,
its events in the request's story, and its refusals as one small set of statuses.

A service's domain defines its own refusals (no platform import in a domain); the service
names each one's kind in a table handed to ``create_app``: ``{NotFound: Kind.NOT_FOUND}``.
A refusal is looked up along its class's MRO, so a base class covers its subclasses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import datetime
from enum import IntEnum
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, make_event
from civiloop_platform.edge.problems import domain_refusal
from civiloop_platform.store.versioned import Stale, Taken

T = TypeVar("T")
ATTEMPTS = 5
"""Tries of a use case that keeps losing a race on a version; the last loss answers 409."""


class Kind(IntEnum):
    """The kinds of refusal a use case may answer, each with its status."""

    FORBIDDEN = 403  # the caller may not act on this thing
    NOT_FOUND = 404  # what the request names does not exist here
    CONFLICT = 409  # the thing's state forbids it now
    INVALID = 422  # the input breaks a rule; "field: why" locates it


Refusals = Mapping[type[Exception], Kind]
Handler = Callable[[Request, Any], Coroutine[Any, Any, Response]]
LOST_RACE: Refusals = {Stale: Kind.CONFLICT, Taken: Kind.CONFLICT}
"""Refusals of the store itself: a race lost ``ATTEMPTS`` times, an id stored already."""


def kind_of(exc: Exception, refusals: Refusals) -> Kind | None:
    """The kind of refusal ``exc`` is, by the nearest class of it in ``refusals``."""
    table = {**LOST_RACE, **refusals}
    return next((table[c] for c in type(exc).__mro__ if c in table), None)


def refusal_handlers(refusals: Refusals) -> dict[int | type[Exception], Handler]:
    """FastAPI exception handlers answering each refusal in ``refusals`` with its status."""
    table = {**LOST_RACE, **refusals}

    async def refused(request: Request, exc: Exception) -> Response:
        kind = kind_of(exc, table)
        assert kind is not None  # registered only for the table's classes
        return domain_refusal(request, int(kind), str(exc))
    return {cls: refused for cls in table}


async def run(request: Request, work: Callable[[Any], Awaitable[T]]) -> T:
    """``work(uow)`` in one transaction of this service, from a fresh read while it goes stale.

    Its events join the outbox in the request's story (the middleware's correlation id);
    a refusal it raises reaches the app's refusal handlers.
    """
    async for attempt in AsyncRetrying(stop=stop_after_attempt(ATTEMPTS), reraise=True,
                                       wait=wait_random(0.01, 0.1),
                                       retry=retry_if_exception_type(Stale)):
        with attempt:
            result: T = await request.app.state.runtime.unit_of_work().run(work)
    return result


async def read(request: Request, work: Callable[[Any], Awaitable[T]]) -> T:
    """``work(uow)`` that only reads, with no transaction (no commit to send); see ``run``."""
    result: T = await request.app.state.runtime.unit_of_work().read(work)
    return result


def correlation_of(request: Request) -> str | None:
    """The request's correlation id (set by the app's middleware), for the events it causes."""
    value: str | None = getattr(request.state, "correlation_id", None)
    return value


def announce(request: Request, payload: Payload, *, source: str,
             time: datetime | None = None) -> Envelope:
    """The event for ``payload`` from ``source``, carrying the request's correlation id."""
    return make_event(payload, source=source, correlation_id=correlation_of(request), time=time)
