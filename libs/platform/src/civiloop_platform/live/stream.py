"""A live route's answer: an SSE stream of what the caller may see of each change."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request, status
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask

from civiloop_platform.live.hub import Change, ChangeHub, HubFull, Subscription
from civiloop_platform.logs import get_logger

log = get_logger(__name__)
RETRY_MS = 3000
Rendered = list[tuple[str, Any]]
"""SSE events for one change as (event name, JSON-ready data); empty: not for this caller."""
Render = Callable[[Change], Awaitable[Rendered]]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


async def live_stream(request: Request, hub: ChangeHub, render: Render) -> EventSourceResponse:
    """Subscribe to ``hub`` (503 when full or its feed cannot open), then stream ``render``ed
    changes after a ``ready`` event, with heartbeats, until the caller leaves."""
    settings = request.app.state.runtime.settings
    last = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    try:
        sub = await hub.subscribe(last)
    except HubFull as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc),
                            headers={"Retry-After": "30"}) from None
    except Exception as exc:  # the change feed could not open: MongoDB is unreachable
        log.warning("live feed could not open", error=repr(exc))
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            "live updates are unavailable just now; try again shortly",
                            headers={"Retry-After": "10"}) from None
    # HEAD never runs the body: the background task lets the subscription go then.
    return EventSourceResponse(_events(sub, render, settings.live_stream_s),
                               ping=settings.live_ping_s, send_timeout=30,
                               background=BackgroundTask(sub.close))


async def _events(sub: Subscription, render: Render,
                  longest_s: float) -> AsyncIterator[ServerSentEvent]:
    """``ready``, then each change the caller may see, until the end or ``longest_s``."""
    clock = asyncio.get_running_loop().time
    deadline = clock() + longest_s
    try:
        yield ServerSentEvent(_json({"resumed": sub.resumed}), event="ready", id=sub.ready_id,
                              retry=RETRY_MS)
        while (change := await sub.next(deadline - clock())) is not None:
            try:
                events = await render(change)
            except Exception as exc:  # one bad document must not end everyone's stream
                log.warning("live change not rendered", error=repr(exc),
                            collection=change.collection, key=change.key)
                continue
            for i, (name, data) in enumerate(events, start=1):
                # Only the last event of a change carries its id: a resume replays it whole.
                yield ServerSentEvent(_json(data), event=name,
                                      id=sub.event_id(change) if i == len(events) else None)
    finally:
        sub.close()
