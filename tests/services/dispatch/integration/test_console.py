"""The dispatcher console over HTTP on a running dispatch: override, take back, queue, access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from civiloop_contracts.events.requests import CancelReason, OrderCancelled
from civiloop_contracts.events.service import OrderAccepted, ServiceCompleted, VolunteerHours
from civiloop_contracts.values import Role
from civiloop_dispatch.adapters.repositories import MongoCases
from civiloop_dispatch.bootstrap import build_spec
from civiloop_dispatch.config import Settings
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.entrypoints.api import router
from civiloop_dispatch.entrypoints.refusals import REFUSALS
from civiloop_platform.auth import mint_token
from civiloop_platform.edge.usecase import ATTEMPTS
from civiloop_platform.store.versioned import Stale
from civiloop_platform.web import create_app
from tests.services.dispatch.builders import District, order, volunteer
from tests.services.dispatch.integration.harness import Harness, types
from tests.support import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def console(dispatch: Harness) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the console, served by the module's running replica."""
    settings = dispatch.runtime.settings
    assert isinstance(settings, Settings)
    app = create_app(build_spec(settings), routers=[router], title="t", refusals=REFUSALS)
    app.state.runtime = dispatch.runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dispatch") as client:
        yield client


def auth(dispatch: Harness, role: Role, **unit: Any) -> dict[str, str]:
    """The bearer header of a caller with ``role`` bound to ``unit`` (station / institute)."""
    secret = dispatch.runtime.settings.auth_secret.get_secret_value()
    return {"Authorization": f"Bearer {mint_token(secret, subject='u1', role=role, **unit)}"}


async def test_a_dispatcher_overrides_the_matcher_with_a_reason(
        dispatch: Harness, console: httpx.AsyncClient) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()),
                            volunteer(d.id("b"), d.station("s2")))
    await dispatch.send(order(oid, d.station()))
    [(_, first)] = await dispatch.wait_types(oid, "OrderDispatched")
    assert first["volunteer_ids"] == [d.id("a")]
    dispatcher = auth(dispatch, Role.DISPATCHER, institute=d.institute().institute)
    case = (await console.get(f"/api/v1/dispatch/orders/{oid}", headers=dispatcher)).json()
    # The chosen one's score and reasons, as the event gave them, for the console to explain.
    assert (case["offer"]["score"], case["offer"]["reasons"]) == (first["score"],
                                                                  first["reasons"])
    assert {r["criterion"] for r in case["offer"]["reasons"]} >= {"skill", "distance"}
    url = f"/api/v1/dispatch/orders/{oid}/candidates"
    listed = await console.get(url, headers=dispatcher)
    assert listed.status_code == 200, listed.text
    assert listed.json() == []  # a was offered it already; b is at another station
    listed = await console.get(f"{url}?level=institute", headers=dispatcher)
    assert [c["id"] for c in listed.json()] == [d.id("b")]
    assert listed.json()[0]["reasons"]
    reply = await console.post(f"/api/v1/dispatch/orders/{oid}/dispatch", headers=dispatcher,
                               json={"kind": "volunteer", "id": d.id("b"),
                                     "reason": "b knows the family"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["offer"]["assignees"] == [d.id("b")]
    assert [r["criterion"] for r in reply.json()["offer"]["reasons"]] == ["manual"]
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn",
                                       "OrderRedispatched")
    withdrawn, manual = events[1][1], events[2][1]
    assert (withdrawn["cause"], withdrawn["volunteer_ids"]) == ("taken_back", [d.id("a")])
    assert manual["volunteer_ids"] == [d.id("b")]
    assert (manual["dispatched_by"], manual["dispatcher_id"]) == ("dispatcher", "u1")
    assert first.get("dispatcher_id") is None  # the matcher chose the first
    assert [(r["criterion"], r["note"]) for r in manual["reasons"]] == [
        ("manual", "b knows the family")]
    timers = dispatch.database.db["timers"]
    pending = [t["_id"] async for t in timers.find({"order_id": oid, "state": "pending"})]
    assert pending == [manual["assignment_id"]]


async def test_take_back_puts_the_order_in_the_queue_and_refusals_name_the_problem(
        dispatch: Harness, console: httpx.AsyncClient) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()))
    await dispatch.send(order(oid, d.station()))
    await dispatch.wait_types(oid, "OrderDispatched")
    admin = auth(dispatch, Role.DISTRICT_ADMIN)
    url = f"/api/v1/dispatch/orders/{oid}"
    operator = auth(dispatch, Role.STATION_OPERATOR, station=d.station().station,
                    institute=d.institute().institute)
    assert (await console.post(f"{url}/take-back", headers=operator,
                               json={"reason": "wrong team"})).status_code == 403
    reply = await console.post(f"{url}/take-back", headers=admin, json={"reason": "wrong team"})
    assert reply.status_code == 200, reply.text
    assert (reply.json()["status"], reply.json()["offer"]) == ("waiting", None)
    await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn")
    queue = await console.get("/api/v1/dispatch/queue?level=station", headers=operator)
    assert [c["order_id"] for c in queue.json()] == [oid]
    other = auth(dispatch, Role.STATION_OPERATOR, station=d.station("s2").station,
                 institute=d.institute().institute)
    assert (await console.get("/api/v1/dispatch/queue", headers=other)).json() == []
    assert (await console.get(url, headers=other)).status_code == 403
    assert (await console.get(url)).status_code == 401
    assert (await console.get(url, headers=auth(dispatch, Role.VOLUNTEER))).status_code == 403
    missing = await console.get("/api/v1/dispatch/orders/nope-1", headers=admin)
    assert (missing.status_code, missing.json()["detail"]) == (
        404, "order nope-1 is not known to dispatch")
    short = await console.post(f"{url}/take-back", headers=admin, json={"reason": ""})
    assert short.status_code == 422
    assert "reason" in short.text
    await dispatch.send(OrderCancelled(order_id=oid, reason=CancelReason.OTHER,
                                       cancelled_by=Role.STATION_OPERATOR))

    async def cancelled() -> bool:
        return bool((await dispatch.case(oid))["status"] == "cancelled")

    await eventually(cancelled)
    late = await console.post(f"{url}/dispatch", headers=admin,
                              json={"kind": "volunteer", "id": d.id("a"), "reason": "retry"})
    assert (late.status_code, late.json()["detail"]) == (
        409, f"order {oid} is cancelled: cannot dispatch")
    assert types(await dispatch.events(oid)) == ["OrderDispatched", "OrderWithdrawn"]


async def offered_to_a(dispatch: Harness) -> str:
    """An order of a new district, dispatched to its one volunteer; the order id."""
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()))
    await dispatch.send(order(oid, d.station()))
    await dispatch.wait_types(oid, "OrderDispatched")
    return oid


async def test_a_case_changed_by_another_writer_meanwhile_is_taken_back_from_a_fresh_read(
        dispatch: Harness, console: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    oid = await offered_to_a(dispatch)
    cases, reads = dispatch.runtime.database.db["cases"], list[str]()
    plain_get = MongoCases.get

    async def read_then_overwritten(self: MongoCases, order_id: str) -> Case | None:
        case = await plain_get(self, order_id)
        if order_id == oid and not reads:  # another writer, outside this transaction
            await cases.update_one({"_id": oid}, {"$inc": {"version": 1}})
        reads.append(order_id)
        return case

    monkeypatch.setattr(MongoCases, "get", read_then_overwritten)
    reply = await console.post(f"/api/v1/dispatch/orders/{oid}/take-back",
                               headers=auth(dispatch, Role.DISTRICT_ADMIN),
                               json={"reason": "wrong team"})
    assert reply.status_code == 200, reply.text
    assert reads.count(oid) >= 2  # the lost race was run again, not answered 500
    assert (await dispatch.case(oid))["status"] == "waiting"


async def test_a_case_stale_on_every_try_is_a_409_not_a_500(
        dispatch: Harness, console: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    oid = await offered_to_a(dispatch)
    tries: list[str] = []

    async def always_stale(self: MongoCases, case: Case) -> None:
        tries.append(case.order_id)
        raise Stale(case.order_id, 1)

    monkeypatch.setattr(MongoCases, "save", always_stale)
    reply = await console.post(f"/api/v1/dispatch/orders/{oid}/take-back",
                               headers=auth(dispatch, Role.DISTRICT_ADMIN),
                               json={"reason": "wrong team"})
    assert (reply.status_code, tries) == (409, [oid] * ATTEMPTS), reply.text
    assert "no longer current" in reply.json()["detail"]


async def test_the_fairness_report_shows_work_and_its_spread(
        dispatch: Harness, console: httpx.AsyncClient) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()),
                            volunteer(d.id("b"), d.station("s2")))
    await dispatch.send(order(oid, d.station()))
    [(_, offer)] = await dispatch.wait_types(oid, "OrderDispatched")
    await dispatch.send(
        OrderAccepted(order_id=oid, assignment_id=offer["assignment_id"], accepted_by=d.id("a"),
                      volunteer_ids=[d.id("a")]),
        ServiceCompleted(order_id=oid, assignment_id=offer["assignment_id"], people_served=1,
                         hours=[VolunteerHours(volunteer_id=d.id("a"), hours=2.5)]))

    async def completed() -> bool:
        return bool((await dispatch.case(oid))["status"] == "completed")

    await eventually(completed)
    dispatcher = auth(dispatch, Role.DISPATCHER, institute=d.institute().institute)
    reply = await console.get("/api/v1/dispatch/fairness", headers=dispatcher)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert (report["registered"], report["served"]) == (2, 1)
    assert report["lines"] == [{"id": d.id("a"), "assignments": 1, "hours": 2.5}]
    assert report["assignments"]["mean"] == 0.5
    assert report["assignments"]["cv"] == 1.0
    assert report["hours"]["total"] == 2.5


@pytest.mark.parametrize("path", ["/api/v1/dispatch/queue", "/api/v1/dispatch/fairness",
                                  "/api/v1/dispatch/orders/nope-1"])
async def test_a_dispatcher_whose_token_names_no_unit_is_refused(
        console: httpx.AsyncClient, dispatch: Harness, path: str) -> None:
    """Issue 13: dispatch took such a token for the centre's, requests and stats refused it."""
    reply = await console.get(path, headers=auth(dispatch, Role.DISPATCHER))
    assert reply.status_code == 403, reply.text
    assert "dispatcher token must name its institute or centre" in reply.json()["detail"]
