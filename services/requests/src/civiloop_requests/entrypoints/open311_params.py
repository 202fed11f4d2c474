"""Open311 parameters: the body in the three ways clients send it, and the query's values.

Every refusal is a ``Refused`` with the spec's status: 400 naming the parameter.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.datastructures import UploadFile

from civiloop_platform.edge.params import EARLIEST, LATEST
from civiloop_requests.domain.new_order import Location
from civiloop_requests.entrypoints.open311_requests import OPEN, WHOLE


class Refused(Exception):
    """An Open311 error: status and description."""

    def __init__(self, status_code: int, description: str) -> None:
        super().__init__(description)
        self.status_code, self.description = status_code, description


def _text(name: str, value: Any) -> str:
    """A JSON body's value as the form would carry it; Refused for lists and objects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise Refused(400, f"{name}: give one text or number")


def _from_json(raw: bytes) -> dict[str, str]:
    """A JSON object as form fields; ``"attribute": {code: value}`` as ``attribute[code]``."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "body: not a JSON object") from None
    if not isinstance(body, dict):
        raise Refused(400, "body: not a JSON object")
    form: dict[str, str] = {}
    for key, value in body.items():
        if key == "attribute" and isinstance(value, dict):
            form.update({f"attribute[{k}]": _text(f"attribute[{k}]", v) for k, v in value.items()})
        elif value is not None:
            form[key] = _text(key, value)
    return form


async def body_fields(request: Request) -> dict[str, str]:
    """The fields of a POST: form-encoded (the spec's), multipart or JSON (what clients send).

    Uploaded files (``media``) are not kept: an order holds text only.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if kind == "application/json" or kind.endswith("+json"):
        return _from_json(raw)
    if kind == "multipart/form-data":
        async with request.form() as form:
            return {k: v for k, v in form.multi_items() if not isinstance(v, UploadFile)}
    try:
        return dict(parse_qsl(raw.decode(), keep_blank_values=False))
    except UnicodeDecodeError as exc:
        raise Refused(400, f"body: not UTF-8 text (byte {exc.start})") from None


def location(fields: dict[str, str]) -> Location | None:
    """``lat`` and ``long`` as numbers, both or neither; Refused naming the bad one."""
    lat, long = fields.get("lat"), fields.get("long")
    if lat is None and long is None:
        return None
    numbers: dict[str, float] = {}
    for name, text, most in (("lat", lat, 90), ("long", long, 180)):
        if text is None:
            raise Refused(400, f"{name}: lat and long are sent together")
        try:
            numbers[name] = float(text)
        except ValueError:
            raise Refused(400, f"{name}: {text!r} is not a number") from None
        if not -most <= numbers[name] <= most:  # NaN fails this too
            raise Refused(400, f"{name}: {text!r} is not from -{most} to {most}")
    return Location(lat=numbers["lat"], long=numbers["long"])


def whole(text: str | None, name: str, default: int, most: int) -> int:
    """A whole number from 1 to ``most``; Refused naming the parameter otherwise."""
    if text is None:
        return default
    if not WHOLE.fullmatch(text) or not 1 <= int(text) <= most:
        raise Refused(400, f"{name}: {text!r} is not a whole number from 1 to {most}")
    return int(text)


def moment(text: str | None, name: str) -> datetime | None:
    """The ISO 8601 date-time ``text`` (naive ones are UTC); Refused naming ``name`` otherwise."""
    if not text:
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(400, f"{name}: {text!r} is not ISO 8601") from None
    found = found if found.tzinfo else found.replace(tzinfo=UTC)
    if not EARLIEST <= found < LATEST:
        raise Refused(400, f"{name}: {text!r} is not from {EARLIEST:%Y} up to {LATEST:%Y}")
    return found


def statuses(text: str | None) -> tuple[Any, ...]:
    """The civiloop statuses that ``status`` (open, closed, or both comma-separated) means."""
    found: list[Any] = []
    for word in (text or "").split(","):
        if word and word not in OPEN:
            raise Refused(400, f"status: {word!r} is not open or closed")
        found += OPEN.get(word, ())
    return tuple(found)
