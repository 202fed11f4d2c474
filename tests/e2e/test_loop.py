"""The whole loop across five processes: 群众点单 → 部门派单 → 志愿者接单 → 老百姓评单."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pymongo import MongoClient
from pymongo.collection import Collection

from civiloop_contracts.codec import encode
from civiloop_contracts.events.intake import Channel, OrderRequested
from civiloop_contracts.masking import mask_ref
from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitRef
from civiloop_devstack.demo import bearer, until, with_check_digit
from civiloop_platform.kafka.producer import Outgoing
from civiloop_requests.app.placing import derived_order_id
from tests.e2e.stack import Stack
from tests.support import started_producer


def id_number() -> str:
    """A made-up resident ID number with a valid GB 11643 check digit."""
    return with_check_digit(f"150203198{random.randrange(10)}0{random.randrange(1, 10)}1"
                            f"{random.randrange(10)}{random.randrange(100, 999)}")


class District:
    """Fresh unit codes for one test, defined in requests' units tree (stats follows)."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.centre, self.institute, self.station = f"c{tag}", f"i{tag}", f"s{tag}"
        self.unit = UnitRef(centre=self.centre, institute=self.institute, station=self.station)
        self.operator_id = f"op-{tag}"
        self.operator = bearer("station_operator", self.operator_id, self.station, self.institute)
        self.admin = bearer("district_admin", f"admin-{tag}")

    def register_units(self, stack: Stack) -> None:
        """The centre → institute → station tree in requests, once stats has it too."""
        with stack.client("requests") as requests:
            for code, level, parent in ((self.centre, "centre", None),
                                        (self.institute, "institute", self.centre),
                                        (self.station, "station", self.institute)):
                body: dict[str, Any] = {"name": code, "level": level, "parent": parent}
                reply = requests.put(f"/api/v1/requests/units/{code}", json=body,
                                     headers=self.admin)
                assert reply.status_code in (200, 201), reply.text
        with stack.client("stats") as stats:
            until(lambda: self.station in {u["code"] for u in stats.get(
                "/api/v1/stats/units", headers=self.admin).json()},
                  what="stats follows the units tree")


def _register_doctor(stack: Stack, district: District, unit: UnitRef | None = None) -> str:
    body = {"name": "王医生", "phone": f"139{random.randrange(10**8):08d}",
            "id_number": id_number(), "unit": (unit or district.unit).model_dump(),
            "specialties": ["medicine_health"], "platforms": ["science"]}
    with stack.client("volunteers") as volunteers:
        reply = volunteers.post("/api/v1/volunteers", json=body, headers=district.admin)
    assert reply.status_code == 201, reply.text
    volunteer_id: str = reply.json()["volunteer_id"]
    # Dispatch learns of volunteers from their events: wait until it can match this one.
    mongo: MongoClient[dict[str, Any]]
    with MongoClient(stack.mongo_url) as mongo:
        candidates: Collection[dict[str, Any]] = mongo[stack.databases["dispatch"]]["candidates"]
        until(lambda: candidates.count_documents({"ref": volunteer_id}) == 1,
              what="dispatch knows the volunteer")
    return volunteer_id


def _request(district: District, resident: str) -> tuple[OrderRequested, str]:
    start = datetime.now(UTC) + timedelta(days=2)
    source = f"/stations/{district.station}/wechat"
    request = OrderRequested(
        request_id=f"req-{uuid.uuid4().hex[:8]}", unit=district.unit, platform=Platform.SCIENCE,
        category="home_health_check", need="老人腿脚不便，需要上门量血压", place="3号楼2单元",
        window=TimeWindow(start=start, end=start + timedelta(hours=2)),
        requested_by=Role.RESIDENT, resident_ref=resident, channel=Channel.WECHAT)
    return request, source


def _publish(kafka_bootstrap: str, request: OrderRequested, source: str) -> None:
    encoded = encode(make_event(request, source=source))

    async def send() -> None:
        async with started_producer(kafka_bootstrap, "e2e-station") as producer:
            await producer.send_all([Outgoing(STATION_INTAKE, encoded.key, encoded.value,
                                              encoded.headers)])
    asyncio.run(send())


def _order(stack: Stack, district: District, order_id: str) -> dict[str, Any] | None:
    with stack.client("requests") as requests:
        reply = requests.get(f"/api/v1/requests/orders/{order_id}", headers=district.operator)
    return reply.json() if reply.status_code == 200 else None


def _status_is(stack: Stack, district: District, order_id: str, status: str) -> Any:
    return lambda: (_order(stack, district, order_id) or {}).get("status") == status


def _serve_and_rate(stack: Stack, district: District, order_id: str, doctor: str,
                    resident: str, stars: int = 5) -> None:
    """The doctor accepts, checks in and out and completes; the resident gives ``stars``."""
    me = bearer("volunteer", doctor, district.station, district.institute)
    with stack.client("volunteers") as volunteers:
        offers = until(lambda: [o for o in volunteers.get(
            "/api/v1/volunteers/offers/mine", headers=me).json() if o["order_id"] == order_id],
            what="the offer reaches the volunteer")
        assignment = offers[0]["assignment_id"]
        accepted = volunteers.post(f"/api/v1/volunteers/assignments/{assignment}/accept",
                                   json={}, headers=me)
        assert accepted.status_code == 200, accepted.text
        until(_status_is(stack, district, order_id, "accepted"), what="accepted")
        for step in ("check-in", "check-out"):  # after the accept: the hours are final
            reply = volunteers.post(f"/api/v1/volunteers/orders/{order_id}/{step}",
                                    json={}, headers=me)
            assert reply.status_code == 200, reply.text
        done = volunteers.post(f"/api/v1/volunteers/orders/{order_id}/complete",
                               json={"people_served": 1, "summary": "血压正常"}, headers=me)
        assert done.status_code == 200, done.text
    until(_status_is(stack, district, order_id, "completed"), what="completed")

    with stack.client("feedback") as feedback:
        def rate() -> httpx.Response | None:
            reply = feedback.post(f"/api/v1/feedback/orders/{order_id}/rating",
                                  json={"stars": stars}, headers=bearer("resident", resident))
            return reply if reply.status_code == 201 else None
        rated = until(rate, what="the resident can rate")
        assert (rated.json()["current"]["stars"], rated.json()["volunteer_ids"]) == (
            stars, [doctor])
    closed = until(lambda: (o := _order(stack, district, order_id)) and
                   o["status"] == "closed" and o, what="closed")
    assert (closed["outcome"], closed["stars"]) == ("rated", stars)


def test_an_intake_order_goes_around_the_loop_and_the_figures_follow(
        stack: Stack, infra: Any) -> None:
    district, resident = District(), f"res-{uuid.uuid4().hex[:8]}"
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    request, source = _request(district, resident)
    _publish(infra.kafka_bootstrap, request, source)
    order_id = derived_order_id(source, request.request_id)
    until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")

    _serve_and_rate(stack, district, order_id, doctor, resident)

    def figures() -> dict[str, Any]:
        with stack.client("stats") as stats:
            reply = stats.get("/api/v1/stats/figures", params={"unit": district.station},
                              headers=district.admin)
        assert reply.status_code == 200, reply.text
        found: dict[str, Any] = reply.json()["figures"]
        return found
    until(lambda: figures().get("orders_rated") == 1, what="stats counts the rating")
    shown = figures()
    assert [shown[k] for k in ("orders_placed", "orders_dispatched", "orders_accepted",
                               "orders_completed", "orders_rated")] == [1, 1, 1, 1, 1]
    assert shown["registered_volunteers"] == 1


def test_an_open311_order_goes_around_the_loop(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    resident = f"res-{uuid.uuid4().hex[:8]}"
    key = bearer("station_operator", f"kiosk-{resident}", district.station, district.institute)
    form = {"api_key": key["Authorization"].removeprefix("Bearer "),
            "service_code": "home_health_check", "address_string": "万和阳光社区3号楼",
            "description": "上门量血压", "account_id": resident,
            "attribute[mobility_needs]": "true"}
    with stack.client("requests") as requests:
        posted = requests.post("/open311/v2/requests.json", data=form)
    assert posted.status_code == 201, posted.text
    order_id = posted.json()[0]["service_request_id"]
    until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")
    _serve_and_rate(stack, district, order_id, doctor, resident)
    closed = until(lambda: (o := _order(stack, district, order_id)) and
                   o["status"] == "closed" and o, what="closed")
    assert closed["outcome"] == "rated"


def test_cancelling_stops_the_loop(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    resident = f"res-{uuid.uuid4().hex[:8]}"
    me = bearer("resident", resident, district.station, district.institute)
    body = {"unit": district.unit.model_dump(), "category": "home_health_check",
            "need": "上门量血压", "place": "3号楼", "answers": {},
            "window": {"start": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                       "end": (datetime.now(UTC) + timedelta(days=1, hours=2)).isoformat()}}
    with stack.client("requests") as requests:
        order_id = requests.post("/api/v1/requests/orders", json=body, headers=me).json()[
            "order_id"]
        until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")
        cancelled = requests.post(f"/api/v1/requests/orders/{order_id}/cancel",
                                  json={"reason": "withdrawn"}, headers=me)
        assert cancelled.json()["status"] == "cancelled"
    volunteer = bearer("volunteer", doctor, district.station, district.institute)
    mongo: MongoClient[dict[str, Any]]
    with MongoClient(stack.mongo_url) as mongo:
        offers: Collection[dict[str, Any]] = mongo[stack.databases["volunteers"]]["offers"]
        offer = until(lambda: offers.find_one({"order_id": order_id, "withdrawals": {"$ne": {}}}),
                      what="the volunteers service takes the offer back")
    with stack.client("volunteers") as volunteers:
        late = volunteers.post(f"/api/v1/volunteers/assignments/{offer['_id']}/accept",
                               json={}, headers=volunteer)
    assert late.status_code == 409, late.text
    assert "cancel" in late.text


def _place(stack: Stack, district: District, resident: str) -> str:
    """A resident's order for a home health check tomorrow, over HTTP; its id."""
    me = bearer("resident", resident, district.station, district.institute)
    start = datetime.now(UTC) + timedelta(days=1)
    body = {"unit": district.unit.model_dump(), "category": "home_health_check",
            "need": "上门量血压", "place": "3号楼", "answers": {},
            "window": {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}}
    with stack.client("requests") as requests:
        placed = requests.post("/api/v1/requests/orders", json=body, headers=me)
    assert placed.status_code == 201, placed.text
    order_id: str = placed.json()["order_id"]
    return order_id


def _offers(stack: Stack, district: District, volunteer: str, order_id: str) -> list[Any]:
    me = bearer("volunteer", volunteer, district.station, district.institute)
    with stack.client("volunteers") as volunteers:
        offers = volunteers.get("/api/v1/volunteers/offers/mine", headers=me).json()
    return [o for o in offers if o["order_id"] == order_id]


def test_a_decline_redispatches_up_to_the_institute(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    near = _register_doctor(stack, district)
    neighbour = UnitRef(centre=district.centre, institute=district.institute,
                        station=f"{district.station}-b")
    far = _register_doctor(stack, district, neighbour)
    order_id = _place(stack, district, f"res-{uuid.uuid4().hex[:8]}")
    until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")
    [offer] = until(lambda: _offers(stack, district, near, order_id), what="offered near")
    me = bearer("volunteer", near, district.station, district.institute)
    with stack.client("volunteers") as volunteers:
        declined = volunteers.post(
            f"/api/v1/volunteers/assignments/{offer['assignment_id']}/decline",
            json={"reason": "unavailable", "note": "那天在外地"}, headers=me)
    assert declined.status_code == 200, declined.text
    until(lambda: _offers(stack, district, far, order_id), what="redispatched to the neighbour")
    with stack.client("requests") as requests:
        timeline = requests.get(f"/api/v1/requests/orders/{order_id}/timeline",
                                headers=district.operator).json()
    steps = [s["step"] for s in timeline["steps"]]
    assert steps[:3] == ["place", "dispatch", "decline"]
    assert "escalate" in steps
    assert timeline["status"] == "dispatched"


def test_a_low_rating_opens_a_follow_up_and_a_reopen_sends_the_order_back(
        stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    resident = f"res-{uuid.uuid4().hex[:8]}"
    order_id = _place(stack, district, resident)
    until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")
    _serve_and_rate(stack, district, order_id, doctor, resident, stars=1)
    until(_status_is(stack, district, order_id, "closed"), what="closed")
    with stack.client("feedback") as feedback:
        [follow_up] = until(lambda: [f for f in feedback.get(
            "/api/v1/feedback/follow-ups", headers=district.operator).json()
            if f["order_id"] == order_id], what="a follow-up is opened")
        resolved = feedback.post(
            f"/api/v1/feedback/follow-ups/{follow_up['follow_up_id']}/resolve",
            json={"resolution": "reopen", "note": "居民反映没有量血压，重新派单"},
            headers=district.operator)
        assert resolved.status_code == 200, resolved.text
    again = until(lambda: (o := _order(stack, district, order_id)) and
                  o["reopen_count"] == 1 and o["status"] == "dispatched" and o,
                  what="reopened and dispatched again")
    assert again["outcome"] is None
    # Each service said who acted; requests names them, the resident only masked.
    with stack.client("requests") as requests:
        steps = requests.get(f"/api/v1/requests/orders/{order_id}/timeline",
                             headers=district.operator).json()["steps"]
    assert [(s["step"], s["actor"], s["actor_id"]) for s in steps] == [
        ("place", "resident", mask_ref(resident)), ("dispatch", "service", "matcher"),
        ("accept", "volunteer", doctor), ("start_service", "volunteer", doctor),
        ("complete", "volunteer", doctor), ("rate", "resident", mask_ref(resident)),
        ("close", "service", "requests"), ("reopen", "station_operator", district.operator_id),
        ("dispatch", "service", "matcher")]


def test_an_expired_offer_is_redispatched(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    quick = {"code": "quick_visit", "name_zh": "快速上门", "name_en": "Quick home visit",
             "platform": "science", "specialty": "medicine_health", "group_activity": False,
             "accept_within": "PT1M", "questions": []}
    with stack.client("requests") as requests:
        put = requests.put("/api/v1/requests/menu/quick_visit", json=quick,
                           headers=district.admin)
    assert put.status_code in (200, 201), put.text
    doctors = [_register_doctor(stack, district) for _ in range(2)]
    resident = f"res-{uuid.uuid4().hex[:8]}"
    me = bearer("resident", resident, district.station, district.institute)
    start = datetime.now(UTC) + timedelta(hours=3)
    body = {"unit": district.unit.model_dump(), "category": "quick_visit",
            "need": "上门看看", "place": "3号楼",
            "window": {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}}
    with stack.client("requests") as requests:
        order_id = requests.post("/api/v1/requests/orders", json=body, headers=me).json()[
            "order_id"]
    [first] = until(lambda: [d for d in doctors if _offers(stack, district, d, order_id)],
                    what="offered to one doctor")
    [other] = [d for d in doctors if d != first]
    # Nobody answers: after the one-minute deadline the offer goes to the other doctor.
    until(lambda: _offers(stack, district, other, order_id), within_s=180,
          what="redispatched after the deadline")
    with stack.client("requests") as requests:
        steps = [s["step"] for s in requests.get(
            f"/api/v1/requests/orders/{order_id}/timeline", headers=district.operator,
        ).json()["steps"]]
    assert steps[:3] == ["place", "dispatch", "expire"]
    assert steps[-1] == "dispatch"
