"""The HTTP edge every service gets from create_app: the request guard, one 422 shape, and
bounded, ISO 8601 query parameters (an app with test routes; its runtime never starts)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from civiloop_platform.edge.params import Instant, Limit, Page, PageSize
from civiloop_platform.edge.problems import domain_refusal, invalid
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.settings import ServiceSettings
from civiloop_platform.web import create_app

router = APIRouter()


class Note(BaseModel):
    """A body with a bounded text, a number and free-form extras."""

    text: str = Field(max_length=100)
    count: int = 1
    extra: dict[str, Any] = Field(default_factory=dict)


class Refused(Exception):
    """A domain refusal, as services raise them."""


@router.post("/notes")
async def post_note(note: Note) -> dict[str, Any]:
    """Echo the note."""
    return note.model_dump()


@router.get("/pages")
async def pages(page: Page = 1, page_size: PageSize = 20, limit: Limit = 100,
                since: Instant | None = None) -> dict[str, Any]:
    """Echo the paging."""
    return {"page": page, "page_size": page_size, "limit": limit,
            "since": since.isoformat() if since else None}


@router.get("/refuse")
async def refuse(why: str, kind: str = "http") -> None:
    """Refuse with ``why`` as a route, a domain rule or a raised validation error would."""
    if kind == "domain":
        raise Refused(why)
    if kind == "invalid":
        raise invalid(("query", "why"), why)
    raise HTTPException(422, why)


@router.post("/upload")
async def upload(request: Request) -> dict[str, int]:
    """The size of a raw body."""
    return {"size": len(await request.body())}


async def on_refused(request: Request, exc: Exception) -> JSONResponse:
    return domain_refusal(request, 422, str(exc))


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(service_name="edge-test", civiloop_env="test")
    app = create_app(ServiceSpec(settings=settings), routers=[router], title="edge",
                     exception_handlers={Refused: on_refused})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://edge") as http:
        yield http


async def post(client: httpx.AsyncClient, raw: bytes | str,
               content_type: str = "application/json") -> httpx.Response:
    body = raw.encode() if isinstance(raw, str) else raw
    return await client.post("/notes", content=body, headers={"Content-Type": content_type})


def problems(reply: httpx.Response) -> list[dict[str, Any]]:
    detail = reply.json()["detail"]
    assert isinstance(detail, list), reply.text
    assert all(set(p) == {"loc", "msg", "type"} for p in detail), detail
    return detail


async def test_a_valid_body_passes_the_guard_unchanged(client: httpx.AsyncClient) -> None:
    reply = await post(client, json.dumps({"text": "万和阳光", "extra": {"a": [1, 2.5, None]}}))
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"text": "万和阳光", "count": 1, "extra": {"a": [1, 2.5, None]}}


@pytest.mark.parametrize(("raw", "loc"), [
    ('{"text": "a\\ud800b"}', ["body", "text"]),
    ('{"text": "ok", "extra": {"k": ["x", "\\udfff"]}}', ["body", "extra", "k", 1]),
    ('{"text": "ok", "extra": {"k\\ud800": 1}}', ["body", "extra", "k\\ud800"]),
    ('{"text": "a\\u0000b"}', ["body", "text"]),
])
async def test_nul_or_a_lone_surrogate_anywhere_in_a_body_is_a_422_naming_it(
        client: httpx.AsyncClient, raw: str, loc: list[Any]) -> None:
    reply = await post(client, raw)
    assert reply.status_code == 422, reply.text
    assert [p["loc"] for p in problems(reply)] == [loc]
    assert problems(reply)[0]["type"] == "string_unicode"


async def test_a_surrogate_pair_is_text(client: httpx.AsyncClient) -> None:
    reply = await post(client, '{"text": "\\ud83d\\ude00"}')
    assert reply.status_code == 200, reply.text
    assert reply.json()["text"] == "😀"


async def test_an_invalid_field_is_named_and_the_input_never_echoed(
        client: httpx.AsyncClient) -> None:
    reply = await post(client, json.dumps({"text": "秘密" * 60, "count": "many"}))
    assert reply.status_code == 422
    assert sorted(p["loc"] for p in problems(reply)) == [["body", "count"], ["body", "text"]]
    assert "秘密" not in reply.text
    assert "many" not in reply.text


@pytest.mark.parametrize(("number", "kind"), [
    ("1e400", "finite_number"), ("NaN", "finite_number"), ("-Infinity", "finite_number"),
    ("9223372036854775808", "int_overflow"), ("-9223372036854775809", "int_overflow"),
    ("1" * 5000, "int_overflow")])
async def test_a_number_json_or_mongodb_cannot_keep_is_a_422_naming_it(
        client: httpx.AsyncClient, number: str, kind: str) -> None:
    reply = await post(client, '{"text": "ok", "count": %s}' % number)  # noqa: UP031
    assert reply.status_code == 422, reply.text
    assert [(p["loc"], p["type"]) for p in problems(reply)] == [(["body", "count"], kind)]


async def test_the_largest_64_bit_integer_is_taken(client: httpx.AsyncClient) -> None:
    reply = await post(client, '{"text": "ok", "count": 9223372036854775807}')
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize("depth", [33, 5000, 200_000])
async def test_deep_nesting_is_a_422_naming_the_body(client: httpx.AsyncClient,
                                                     depth: int) -> None:
    reply = await post(client, '{"text": "ok", "extra": {"k": ' + "[" * depth + "]" * depth
                       + "}}")
    assert reply.status_code == 422, reply.text
    assert problems(reply)[0]["type"] == "json_depth"


async def test_thirty_two_levels_are_taken(client: httpx.AsyncClient) -> None:
    reply = await post(client, '{"text": "ok", "extra": {"k": ' + "[" * 30 + "]" * 30 + "}}")
    assert reply.status_code == 200, reply.text


async def test_a_body_that_is_not_utf8_is_a_422_naming_the_body(
        client: httpx.AsyncClient) -> None:
    reply = await post(client, b'{"text": "\xff"}')
    assert reply.status_code == 422
    assert [(p["loc"], p["type"]) for p in problems(reply)] == [(["body"], "utf8_invalid")]


@pytest.mark.parametrize("raw", [b"", b"{", b"[1, 2", b"null", b"\xef\xbb\xbf{}"])
async def test_an_empty_or_broken_body_is_a_422_at_the_body(client: httpx.AsyncClient,
                                                           raw: bytes) -> None:
    reply = await post(client, raw)
    assert reply.status_code == 422, reply.text
    assert problems(reply)[0]["loc"][0] == "body"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
async def test_a_body_of_another_type_is_a_422_even_when_not_text(
        client: httpx.AsyncClient, content_type: str) -> None:
    reply = await post(client, b'{"text": "ok"}\xff\xfe', content_type)
    assert reply.status_code == 422, reply.text
    assert [p["loc"] for p in problems(reply)] == [["body"]]


async def test_a_json_body_over_a_megabyte_is_a_413(client: httpx.AsyncClient) -> None:
    reply = await post(client, json.dumps({"text": "x" * (1024 * 1024)}))
    assert reply.status_code == 413
    assert problems(reply)[0]["loc"] == ["body"]


async def test_a_raw_body_is_capped_too(client: httpx.AsyncClient) -> None:
    small = await client.post("/upload", content=b"x" * 1000)
    assert small.json() == {"size": 1000}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(27):
            yield b"x" * (1024 * 1024)
    huge = await client.post("/upload", content=chunks())
    assert huge.status_code == 413
    assert problems(huge)[0]["loc"] == ["body"]


@pytest.mark.parametrize(("query", "loc"), [
    ("page=0", ["query", "page"]), ("page=10001", ["query", "page"]),
    ("page=9223372036854775808", ["query", "page"]), ("page_size=201", ["query", "page_size"]),
    ("limit=501", ["query", "limit"]), ("since=0.5", ["query", "since"]),
    ("since=1700000000", ["query", "since"]), ("since=2026-12-01T09:30:00", ["query", "since"]),
    ("since=0001-01-01T00:00:00Z", ["query", "since"]),
    ("since=9999-12-31T23:59:59Z", ["query", "since"]), ("since=a%00b", ["query", "since"]),
])
async def test_a_query_parameter_out_of_bounds_is_a_422_naming_it(
        client: httpx.AsyncClient, query: str, loc: list[str]) -> None:
    reply = await client.get(f"/pages?{query}")
    assert reply.status_code == 422, reply.text
    assert [p["loc"] for p in problems(reply)] == [loc]


async def test_bounded_parameters_inside_their_bounds_are_taken(
        client: httpx.AsyncClient) -> None:
    reply = await client.get("/pages", params={"page": 10_000, "page_size": 200, "limit": 500,
                                               "since": "2026-12-01T09:30:00+08:00"})
    assert reply.json() == {"page": 10_000, "page_size": 200, "limit": 500,
                            "since": datetime.fromisoformat("2026-12-01T09:30:00+08:00")
                            .isoformat()}
    assert (await client.get("/pages?since=2026-12-01T01:30Z")).status_code == 200


async def test_a_number_is_no_iso_8601_date_time(client: httpx.AsyncClient) -> None:
    reply = await client.get("/pages?since=0.5")
    assert "ISO 8601" in problems(reply)[0]["msg"]
    naive = await client.get("/pages?since=2026-12-01T09:30:00")
    assert "offset" in problems(naive)[0]["msg"]


async def test_nul_in_the_path_or_a_header_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    path = await client.get("/pages%00")
    assert [p["loc"] for p in problems(path)] == [["path"]]
    header = await client.get("/pages", headers={"X-Note": "a\x00b"})
    assert [p["loc"] for p in problems(header)] == [["header", "x-note"]]


@pytest.mark.parametrize(("kind", "why", "loc"), [
    ("http", "why: too vague", ["query", "why"]),
    ("domain", "category: no such category", ["body", "category"]),
    ("domain", "hours exceed the activity", ["body"]),
    ("invalid", "must be longer", ["query", "why"]),
])
async def test_every_422_has_one_shape_locating_the_field(
        client: httpx.AsyncClient, kind: str, why: str, loc: list[str]) -> None:
    reply = await client.get("/refuse", params={"why": why, "kind": kind})
    assert reply.status_code == 422
    assert [(p["loc"], p["msg"]) for p in problems(reply)] == [(loc, why)]


async def test_other_refusals_keep_their_message(client: httpx.AsyncClient) -> None:
    reply = await client.get("/nowhere")
    assert (reply.status_code, reply.json()) == (404, {"detail": "Not Found"})


async def test_a_repeated_parameter_takes_the_last(client: httpx.AsyncClient) -> None:
    reply = await client.get("/pages?page=2&page=3")
    assert reply.json()["page"] == 3


async def test_a_refusal_carries_the_correlation_id(client: httpx.AsyncClient) -> None:
    reply = await client.post("/notes", content=b'{"text": "\\u0000"}',
                              headers={"Content-Type": "application/json",
                                       "X-Correlation-ID": "corr-edge"})
    assert reply.status_code == 422
    assert reply.headers["X-Correlation-ID"] == "corr-edge"
