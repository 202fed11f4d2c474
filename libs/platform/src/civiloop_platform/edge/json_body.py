"""What no JSON body may hold, whatever the route: text that is not Unicode, numbers MongoDB
cannot store, nesting without end.

A lone surrogate (``"\\ud800"``) is valid JSON but no text: no encoder writes it back, to
MongoDB or to a reply. NUL ends a C string: MongoDB refuses it in a key. JSON has no NaN or
Infinity, and MongoDB keeps integers in 64 bits.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from civiloop_platform.edge.problems import Loc, problem

MAX_DEPTH = 32
"""Nesting allowed in a body; the deepest the services take is 5."""
INT64 = range(-(2**63), 2**63)
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


class _HugeInteger(int):
    """An integer literal too long for Python to read (past 4,300 digits)."""


def _integer(literal: str) -> int:
    return int(literal) if len(literal) < 40 else _HugeInteger(0)


def body_problems(body: bytes) -> list[dict[str, Any]]:
    """Problems of a JSON ``body`` no route may take; [] when it is fine or not JSON at all.

    A body that is not JSON is left for FastAPI, which answers a 422 saying where it broke.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [problem(["body"], f"is not UTF-8 text (byte {exc.start}); send JSON as UTF-8",
                        "utf8_invalid")]
    try:
        document = json.loads(text, parse_int=_integer)
    except RecursionError:
        return [_too_deep(["body"])]
    except ValueError:
        return []
    return _walk(document)


def _walk(document: Any) -> list[dict[str, Any]]:
    """Every string, key and number of ``document`` checked, breadth first, without recursion."""
    found: list[dict[str, Any]] = []
    pending: list[tuple[tuple[str | int, ...], Any]] = [(("body",), document)]
    while pending and len(found) < 20:
        loc, value = pending.pop()
        if len(loc) > MAX_DEPTH + 1:
            found.append(_too_deep(loc))
        elif isinstance(value, dict):
            for key, item in value.items():
                if _UNWRITABLE.search(key):
                    found.append(_text_problem((*loc, key), key))
                else:
                    pending.append(((*loc, key), item))
        elif isinstance(value, list):
            pending.extend(((*loc, i), item) for i, item in enumerate(value))
        elif (error := _scalar_problem(loc, value)) is not None:
            found.append(error)
    return sorted(found, key=lambda p: [str(part) for part in p["loc"]])


def _scalar_problem(loc: Loc, value: Any) -> dict[str, Any] | None:
    if isinstance(value, str) and _UNWRITABLE.search(value):
        return _text_problem(loc, value)
    if isinstance(value, float) and not math.isfinite(value):
        return problem(loc, f"{value} is not a number JSON allows (finite, at most ~1e308)",
                       "finite_number")
    if isinstance(value, int) and (isinstance(value, _HugeInteger) or value not in INT64):
        return problem(loc, "is out of range: integers must fit in 64 bits", "int_overflow")
    return None


def _text_problem(loc: Loc, text: str) -> dict[str, Any]:
    bad = _UNWRITABLE.search(text)
    assert bad is not None
    what = "NUL" if bad.group() == "\x00" else f"a lone surrogate (\\u{ord(bad.group()):04x})"
    return problem(loc, f"contains {what}, which is not text; send valid Unicode",
                   "string_unicode")


def _too_deep(loc: Loc) -> dict[str, Any]:
    return problem(loc, f"is nested too deep: at most {MAX_DEPTH} levels", "json_depth")
