"""The one way services run an HTTP use case: retried while stale, refusals as their statuses,
events in the request's story (an app with test routes on a fake unit of work)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Request

from civiloop_contracts.payload import REGISTRY
from civiloop_platform.edge.usecase import ATTEMPTS, Kind, announce, kind_of, run
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.settings import ServiceSettings
from civiloop_platform.store.versioned import Stale, Taken
from civiloop_platform.web import create_app


class Missing(Exception):
    """A domain's 'no such thing'."""


class MissingOrder(Missing):
    """A kind of it the table does not name."""


class Busy(Exception):
    """A domain's 'not now'."""


class NotYours(Exception):
    """A domain's 'not you'."""


class BadInput(Exception):
    """A domain's 'that breaks a rule'."""


REFUSALS = {Missing: Kind.NOT_FOUND, Busy: Kind.CONFLICT, NotYours: Kind.FORBIDDEN,
            BadInput: Kind.INVALID}


class FakeUnitOfWork:
    """Runs work at once, counting the tries."""

    def __init__(self, tries: list[int]) -> None:
        self.tries = tries

    async def run(self, work: Callable[[Any], Awaitable[Any]]) -> Any:
        self.tries.append(1)
        return await work(self)


class FakeRuntime:
    def __init__(self) -> None:
        self.tries: list[int] = []

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.tries)


router = APIRouter()


@router.post("/stale/{losses}")
async def stale(request: Request, losses: int) -> dict[str, int]:
    """Lose the version race ``losses`` times, then succeed."""
    tries = request.app.state.runtime.tries

    async def work(_: Any) -> int:
        if len(tries) <= losses:
            raise Stale("o-1", len(tries))
        return len(tries)
    return {"tries": await run(request, work)}


@router.post("/refuse/{what}")
async def refuse(request: Request, what: str) -> None:
    """Raise the named refusal from inside the use case."""
    errors: dict[str, Exception] = {
        "missing": MissingOrder("order o-1 is not known"), "busy": Busy("order o-1 is closed"),
        "yours": NotYours("not your order"), "bad": BadInput("window.end: before the start"),
        "taken": Taken("o-1"), "bug": RuntimeError("a bug")}

    async def work(_: Any) -> None:
        raise errors[what]
    await run(request, work)


@router.get("/story")
async def story(request: Request) -> dict[str, str]:
    """The correlation id an announced event carries."""
    payload = next(iter(REGISTRY.models.values()))
    fields = {name: None for name in payload.model_fields}
    event = announce(request, payload.model_construct(**fields), source="civiloop/test")
    return {"correlation": event.correlationid}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(service_name="usecase-test", civiloop_env="test")
    app = create_app(ServiceSpec(settings=settings), routers=[router], title="use cases",
                     refusals=REFUSALS)
    app.state.runtime = FakeRuntime()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http


async def test_a_stale_use_case_is_run_again_from_a_fresh_read(
        client: httpx.AsyncClient) -> None:
    reply = await client.post("/stale/2")
    assert reply.status_code == 200
    assert reply.json() == {"tries": 3}


async def test_a_use_case_stale_every_time_is_a_409_not_a_500(client: httpx.AsyncClient) -> None:
    reply = await client.post(f"/stale/{ATTEMPTS}")
    assert reply.status_code == 409
    assert "no longer current" in reply.json()["detail"]


@pytest.mark.parametrize(("what", "code"), [("missing", 404), ("busy", 409), ("yours", 403),
                                            ("taken", 409), ("bug", 500)])
async def test_each_refusal_answers_its_kind(client: httpx.AsyncClient, what: str,
                                             code: int) -> None:
    reply = await client.post(f"/refuse/{what}")
    assert reply.status_code == code
    if code < 500:
        assert isinstance(reply.json()["detail"], str)


async def test_an_invalid_refusal_is_a_located_problem(client: httpx.AsyncClient) -> None:
    reply = await client.post("/refuse/bad")
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["body", "window", "end"]


async def test_announced_events_carry_the_request_correlation(client: httpx.AsyncClient) -> None:
    reply = await client.get("/story", headers={"X-Correlation-ID": "c-42"})
    assert reply.json() == {"correlation": "c-42"}


def test_the_nearest_class_in_the_table_decides() -> None:
    table = {Exception: Kind.INVALID, Missing: Kind.NOT_FOUND}
    assert kind_of(MissingOrder("x"), table) is Kind.NOT_FOUND
    assert kind_of(Busy("x"), table) is Kind.INVALID
    assert kind_of(Stale("o", 1), {}) is Kind.CONFLICT
