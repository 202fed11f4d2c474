"""One error shape for bad input: ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``.

It is FastAPI's shape, the one every service's OpenAPI promises for a 422, minus the caller's
input: a reply never echoes what was sent, so input no encoder can write (a lone surrogate)
cannot turn a refusal into a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

Loc = Sequence[str | int]
MAX_PROBLEMS = 20
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates
_FIELD = re.compile(r"[A-Za-z_][\w.\[\]-]{0,63}")  # "field: why" names the field first
_LOCATED = (status.HTTP_413_CONTENT_TOO_LARGE, status.HTTP_422_UNPROCESSABLE_CONTENT)


def printable(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters, NUL and lone surrogates written as ``\\uXXXX``."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return _UNWRITABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def problem(loc: Loc, msg: str, kind: str = "value_error") -> dict[str, Any]:
    """One entry of ``detail``: where (``loc``), what is wrong (``msg``), and its ``type``."""
    return {"loc": [p if isinstance(p, int) else printable(p, 64) for p in loc],
            "msg": printable(msg), "type": kind}


def refusal(problems: Iterable[dict[str, Any]],
            status_code: int = status.HTTP_422_UNPROCESSABLE_CONTENT) -> JSONResponse:
    """The reply that refuses a request for ``problems`` (at most 20 of them)."""
    return JSONResponse({"detail": list(problems)[:MAX_PROBLEMS]}, status_code=status_code)


def located(request: Request, message: str) -> dict[str, Any]:
    """A refusal ``"field: why"`` as a problem located in the query, the path or the body."""
    field, sep, _ = message.partition(": ")
    if not (sep and _FIELD.fullmatch(field)):
        return problem(["body"], message)
    parts: list[str] = field.split(".")
    head = parts[0].split("[")[0]
    source = ("query" if head in request.query_params else
              "path" if head in request.path_params else "body")
    return problem([source, *parts], message)


def domain_refusal(request: Request, status_code: int, message: str) -> JSONResponse:
    """A service's refusal: 422 in the problem shape, any other status as ``{"detail": message}``."""
    if status_code == status.HTTP_422_UNPROCESSABLE_CONTENT:
        return refusal([located(request, message)])
    return JSONResponse({"detail": printable(message, 1000)}, status_code=status_code)


def invalid(loc: Loc, msg: str) -> RequestValidationError:
    """An error to raise from a route when a parameter breaks a rule the types cannot state."""
    return RequestValidationError([{"loc": tuple(loc), "msg": msg, "type": "value_error"}])


async def on_invalid_request(_: Request, exc: Exception) -> Response:
    """FastAPI's 422 for a request that fails validation, without the input it would echo."""
    assert isinstance(exc, RequestValidationError)
    return refusal(problem(e.get("loc", ()), str(e.get("msg", "")), str(e.get("type", "")))
                   for e in exc.errors())


async def on_http_error(request: Request, exc: Exception) -> Response:
    """A raised HTTPException; a 413 or 422 with a message takes the problem shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code in _LOCATED and isinstance(exc.detail, str):
        return refusal([located(request, exc.detail)], exc.status_code)
    return await http_exception_handler(request, exc)
