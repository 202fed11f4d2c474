"""People follow the loop live, through the gateway: SSE streams fed by the services' changes.

The streams go through the gateway (one origin) and authenticate as a browser's EventSource
must (``?access_token=``); the actions reuse the loop tests' helpers. "Receives nothing of
it" is checked without timing: a later change for the other caller marks the point by which
anything would have come.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from civiloop_devstack.demo import bearer
from tests.e2e.sse import Event, LiveStream, is_event
from tests.e2e.stack import Stack
from tests.e2e.test_loop import District, _place, _register_doctor, _serve_and_rate
from tests.platform.test_offline_docs import fetch_page_and_assets

SERVICES = ["requests", "dispatch", "volunteers", "feedback", "stats"]
OFFERS = "/api/v1/volunteers/offers/mine/live"
ORDERS = "/api/v1/requests/orders/live"
QUEUE = "/api/v1/dispatch/queue/live"
FOLLOW_UPS = "/api/v1/feedback/follow-ups/live"


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def _live(stack: Stack, path: str, who: dict[str, str], **headers: str) -> LiveStream:
    """A live stream through the gateway, as a browser opens it, once it said ``ready``."""
    stream = LiveStream(f"{stack.gateway}{path}?access_token={_token(who)}", headers)
    stream.wait_for(lambda e: e.event == "ready", what=f"{path} ready")
    return stream


def _about(order_id: str) -> Any:
    return lambda e: e.data.get("order_id") == order_id


def _none_about(stream: LiveStream, order_id: str) -> list[Event]:
    return [e for e in stream.seen if e.data.get("order_id") == order_id]


def test_each_person_sees_their_part_of_an_order_live_and_other_units_see_nothing(
        stack: Stack) -> None:
    here, there = District(), District()
    for district in (here, there):
        district.register_units(stack)
    doctor, other_doctor = _register_doctor(stack, here), _register_doctor(stack, there)
    resident, stranger = f"res-{uuid.uuid4().hex[:8]}", f"res-{uuid.uuid4().hex[:8]}"
    me = bearer("volunteer", doctor, here.station, here.institute)
    opened = {
        "offers": _live(stack, OFFERS, me),
        "other_offers": _live(stack, OFFERS, bearer("volunteer", other_doctor, there.station,
                                                     there.institute)),
        "orders": _live(stack, ORDERS, bearer("resident", resident, here.station)),
        "stranger": _live(stack, ORDERS, bearer("resident", stranger, there.station)),
        "queue": _live(stack, QUEUE, bearer("dispatcher", "d-here", None, here.institute)),
        "other_queue": _live(stack, QUEUE, bearer("dispatcher", "d-there", None,
                                                  there.institute)),
        "follow_ups": _live(stack, FOLLOW_UPS, here.operator)}
    s = opened
    try:
        order_id = _place(stack, here, resident)
        offer = s["offers"].wait_for(is_event("offer", order_id=order_id), "the offer appears")
        assert offer.data["order"]["place"] == "3号楼"
        assert offer.id is not None
        s["orders"].wait_for(is_event("order", order_id=order_id, status="dispatched"),
                             "the resident sees it dispatched")
        s["queue"].wait_for(is_event("case", order_id=order_id, status="offered"),
                            "the dispatcher sees it offered")

        _serve_and_rate(stack, here, order_id, doctor, resident, stars=2)
        accepted = s["offers"].wait_for(
            lambda e: _about(order_id)(e) and bool(e.data["accepted"]), "the accept")
        assert accepted.data["accepted"][0]["by"] == doctor
        for status in ("accepted", "completed", "closed"):
            seen = s["orders"].wait_for(is_event("order", order_id=order_id, status=status),
                                        f"the resident sees it {status}")
        assert seen.data["stars"] == 2
        follow_up = s["follow_ups"].wait_for(is_event("follow_up", order_id=order_id),
                                             "the station sees the follow-up")
        assert follow_up.data["status"] == "open"

        # The other unit's people: a change of their own marks the point by which anything
        # about the first order would have reached them.
        marker = _place(stack, there, stranger)
        s["other_offers"].wait_for(is_event("offer", order_id=marker), "the other's offer")
        s["stranger"].wait_for(is_event("order", order_id=marker), "the stranger's order")
        s["other_queue"].wait_for(is_event("case", order_id=marker), "the other's queue")
        for name in ("other_offers", "stranger", "other_queue"):
            assert _none_about(s[name], order_id) == [], f"{name} saw another unit's order"
    finally:
        for stream in opened.values():
            stream.close()


def test_a_browser_that_reconnects_with_its_last_event_id_gets_what_it_missed(
        stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    resident = f"res-{uuid.uuid4().hex[:8]}"
    who = bearer("resident", resident, district.station)
    first = LiveStream(f"{stack.gateway}{ORDERS}?access_token={_token(who)}")
    ready = first.wait_for(lambda e: e.event == "ready", what="ready")
    assert ready.data == {"resumed": False}
    first.close()
    order_id = _place(stack, district, resident)  # placed while the browser is away
    url = f"{stack.gateway}{ORDERS}?access_token={_token(who)}"
    with LiveStream(url, {"Last-Event-ID": str(ready.id)}) as again:
        resumed = again.wait_for(lambda e: e.event == "ready", what="ready again")
        assert resumed.data == {"resumed": True}
        again.wait_for(is_event("order", order_id=order_id), "the missed order")


@pytest.mark.parametrize("path", [OFFERS, ORDERS, QUEUE, FOLLOW_UPS])
def test_a_bad_token_or_none_is_refused_with_401(stack: Stack, path: str) -> None:
    for query in ("?access_token=not-a-token", ""):
        reply = httpx.get(f"{stack.gateway}{path}{query}", timeout=30)
        assert reply.status_code == 401, reply.text
        assert reply.headers["content-type"].startswith("application/json")
        assert reply.json()["detail"]


def test_a_role_the_list_refuses_is_refused_the_stream_too(stack: Stack) -> None:
    resident = bearer("resident", "res-1", "s-1")
    for path in (QUEUE, FOLLOW_UPS, OFFERS):
        reply = httpx.get(f"{stack.gateway}{path}?access_token={_token(resident)}", timeout=30)
        assert reply.status_code == 403, (path, reply.text)


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("page", ["docs", "redoc"])
def test_each_service_docs_load_offline_through_the_gateway(stack: Stack, name: str,
                                                            page: str) -> None:
    with httpx.Client(base_url=stack.gateway, timeout=30) as client:
        urls = fetch_page_and_assets(client, f"/api/v1/{name}/{page}")
        spec = client.get(f"/api/v1/{name}/openapi.json").json()
    assert f"/api/v1/{name}/openapi.json" in urls
    assert spec["info"]["title"] == f"civiloop {name}"
