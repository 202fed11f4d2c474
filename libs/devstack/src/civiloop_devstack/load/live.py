"""A live (SSE) route followed as the web app's EventSource follows it, reconnecting."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

RECONNECT_S = 3.0  # an EventSource reconnects after the server's retry hint, a few seconds
STREAM_TIMEOUT = httpx.Timeout(10.0, read=60.0)  # pings come every LIVE_PING_S (15 s)


def streams_client() -> httpx.AsyncClient:
    """A client for long-lived streams, one connection each: the calls' pool stays free."""
    return httpx.AsyncClient(timeout=STREAM_TIMEOUT,
                             limits=httpx.Limits(max_connections=None,
                                                 max_keepalive_connections=0))


async def events(client: httpx.AsyncClient, url: str,
                 auth: dict[str, str]) -> AsyncIterator[tuple[str, Any]]:
    """``(event, data)`` of one stream until it ends or breaks (the caller reconnects)."""
    headers = {"Accept": "text/event-stream", **auth}
    async with client.stream("GET", url, headers=headers) as reply:
        if reply.status_code != 200:
            return  # refused or full (503): the caller looks by hand and tries again later
        fields: dict[str, str] = {}
        async for line in reply.aiter_lines():
            if line == "":
                if "data" in fields:
                    yield fields.get("event", "message"), json.loads(fields["data"])
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")


def awaits(item: dict[str, Any], me: str) -> bool:
    """Whether an offer item of ``GET /offers/mine`` still waits for ``me``'s own answer."""
    if me not in item["volunteer_ids"] or (item["order"] or {}).get("closed"):
        return False
    mine = [p for p in (*item["accepted"], *item["declined"])
            if p["party"].get("volunteer_id") == me and not p["party"].get("team_id")]
    taken = item["mode"] == "grab" and bool(item["accepted"])
    withdrawn = "*" in item["withdrawals"] or me in item["withdrawals"]
    deadline = datetime.fromisoformat(item["accept_deadline"])
    return not (mine or taken or withdrawn) and deadline > datetime.now(UTC)

