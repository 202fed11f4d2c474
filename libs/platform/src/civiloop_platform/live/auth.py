"""``?access_token=`` on live routes only: a browser's EventSource cannot send headers."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import Query
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_PARAM = "access_token"


def is_live(scope: Scope) -> bool:
    """True for a GET (or HEAD) of a live route: a path ending in ``/live``."""
    return (scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
            and str(scope["path"]).endswith("/live"))


class QueryTokenOnLiveRoutes:
    """Move a live route's ``access_token`` query parameter into the Authorization header.

    The routes then check the caller with the same dependencies as every other route. The
    token leaves the query string in place, so neither the access log nor a handler sees it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_live(scope):
            params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            tokens = [v for k, v in params if k == TOKEN_PARAM]
            if tokens:
                # In place: the server logs the request from this very scope.
                scope["query_string"] = urlencode(
                    [(k, v) for k, v in params if k != TOKEN_PARAM]).encode("latin-1")
                if not any(name == b"authorization" for name, _ in scope["headers"]):
                    scope["headers"] = [*scope["headers"],
                                        (b"authorization", f"Bearer {tokens[-1]}".encode())]
        await self.app(scope, receive, send)


AccessToken = Annotated[str | None, Query(description=(
    "The bearer token, for a browser's EventSource, which cannot send the Authorization "
    "header (live routes only; taken out of the query before logging)."))]
"""A live route's documented ``access_token`` parameter (the middleware consumes it)."""
LIVE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/event-stream": {}},
          "description": "An SSE stream: `ready`, then one event per change (docs/live.md)"},
    401: {"description": "Missing or bad token"}, 403: {"description": "Role or unit refused"},
    503: {"description": "Live updates unavailable on this replica just now"}}
"""The answers of every live route, for its OpenAPI description."""
