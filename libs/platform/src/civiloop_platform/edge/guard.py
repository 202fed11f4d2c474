"""The first check of every request, before any route: sizes, and text that is not text.

Refused here, once for every service, with the field named: NUL or a lone surrogate in any
string of the path, the query, a header or a JSON body; a JSON body that is not UTF-8, nests
deeper than 32 levels or holds a number JSON or MongoDB cannot keep; a body over its size.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from civiloop_platform.edge.json_body import body_problems
from civiloop_platform.edge.problems import problem, refusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_JSON_BYTES = 1024 * 1024
"""A JSON body's limit: the largest the services take (a menu category) is a few kB."""
MAX_BODY_BYTES = 25 * 1024 * 1024
"""Any other body's limit (a spreadsheet of volunteers to import may be 20 MB)."""
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
_TEXT = "contains NUL or a lone surrogate, which is not text; send valid Unicode"


class RequestGuard:
    """ASGI middleware refusing, with a 413 or 422 naming the part, what no route may take."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if found := _envelope_problems(scope, headers):
            await refusal(found)(scope, receive, send)
            return
        if not _is_json(headers.get("content-type")):
            await self.app(scope, _capped(receive, MAX_BODY_BYTES), send)
            return
        body = await _read(receive, MAX_JSON_BYTES)
        if body is None:
            await _too_large(MAX_JSON_BYTES)(scope, receive, send)
        elif found := body_problems(body):
            await refusal(found)(scope, receive, send)
        else:
            await self.app(scope, _replay(body, receive), send)


def _envelope_problems(scope: Scope, headers: Headers) -> list[dict[str, Any]]:
    """Unwritable text in the path, a query parameter or a header value."""
    found = [problem(["path"], _TEXT)] if _UNWRITABLE.search(scope.get("path", "")) else []
    query = QueryParams(scope.get("query_string", b""))
    found += [problem(["query", name], _TEXT) for name, value in query.multi_items()
              if _UNWRITABLE.search(name + value)]
    found += [problem(["header", name], _TEXT) for name, value in headers.items()
              if _UNWRITABLE.search(value)]
    return found


def _is_json(content_type: str | None) -> bool:
    """True for the media types FastAPI reads as JSON (``application/json``, ``…+json``)."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it passes ``limit`` bytes."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then the connection's messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


def _capped(receive: Receive, limit: int) -> Receive:
    """A ``receive`` that raises a 413 for the route once the body passes ``limit`` bytes."""
    size = 0

    async def capped() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit:
            raise HTTPException(413, f"the body is larger than {limit // (1024 * 1024)} MB")
        return message
    return capped


def _too_large(limit: int) -> JSONResponse:
    return refusal([problem(["body"], f"is larger than {limit // 1024} kB", "too_large")], 413)
