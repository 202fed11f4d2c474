"""Orders over HTTP on real Kafka and MongoDB: place, retry, "+1", access, cancel, list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from civiloop_contracts.events.requests import (
    OrderCancelled,
    OrderClosed,
    OrderDuplicateLinked,
    OrderPlaced,
    OrderStepRecorded,
)
from civiloop_contracts.masking import mask_ref
from civiloop_contracts.topics import REQUESTS
from tests.services.requests.integration.service import (
    INSTITUTE,
    OTHER_STATION,
    STATION,
    RunningService,
    station_operator,
    token,
)
from tests.support import eventually, read_all

PHONE = "13812345678"
ORDERS = "/api/v1/requests/orders"


def body(category: str = "home_health_check", station: str = STATION, **changes: Any,
         ) -> dict[str, Any]:
    """A valid placement at ``station``, with any field changed."""
    return {"unit": {"centre": "kunqu", "institute": INSTITUTE, "station": station},
            "category": category, "need": "老人腿脚不便，需要上门量血压",
            "place": "万和阳光社区3号楼", "answers": {"mobility_needs": True},
            "window": {"start": "2026-12-05T14:00:00+08:00", "end": "2026-12-05T16:00:00+08:00"},
            "contact": {"name": "张三", "phone": PHONE}, **changes}


def resident(subject: str | None = None) -> dict[str, str]:
    """A resident's token (a fresh resident unless ``subject`` is given)."""
    return token("resident", subject or f"res-{uuid.uuid4().hex[:8]}")


async def test_an_http_order_is_stored_and_announced_once_on_kafka(
        service: RunningService) -> None:
    who = resident()
    placed = await service.client.post(ORDERS, json=body(), headers=who)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["status"], order["specialty"], order["group_activity"]) == (
        "placed", "medicine_health", False)
    assert order["contact"] == {"name": "张三", "phone": PHONE, "masked": False}
    event, line = await service.published(order["order_id"])
    assert event.type == OrderPlaced.event_type()
    # ...and its timeline's first line, at the time the timeline shows.
    assert (line.type, line.data["seq"], line.data["step"]) == (
        OrderStepRecorded.event_type(), 0, "place")
    timeline = (await service.client.get(f"{ORDERS}/{order['order_id']}/timeline",
                                         headers=who)).json()
    shown = datetime.fromisoformat(timeline["steps"][0]["at"])  # MongoDB keeps milliseconds
    assert line.time.replace(microsecond=line.time.microsecond // 1000 * 1000) == shown
    assert event.data["contact"] == {"name": "张*", "phone": "138****5678"}
    assert event.correlationid == placed.headers["X-Correlation-ID"]
    key = order["order_id"].encode()

    async def ours_on_kafka() -> list[Any]:
        # Other tests publish on the topic too: read until this order's record is there.
        return [r for r in await read_all(service.settings.kafka_bootstrap, REQUESTS, expect=10**6,
                                          within_s=2) if r.key == key]
    async def seen() -> bool:
        return bool(await ours_on_kafka())
    await eventually(seen)
    assert len(await ours_on_kafka()) == 2  # OrderPlaced and its timeline line, once each


async def test_a_retried_placement_with_the_same_key_returns_the_first_order(
        service: RunningService) -> None:
    who, key = resident(), {"Idempotency-Key": f"key-{uuid.uuid4().hex}"}
    first = await service.client.post(ORDERS, json=body(), headers=who | key)
    again = await service.client.post(ORDERS, json=body(), headers=who | key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(await service.published(first.json()["order_id"], OrderPlaced.event_type())) == 1
    other = await service.client.post(ORDERS, json=body(need="另一件事"), headers=who | key)
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]


async def test_a_repeated_open_order_is_linked_to_the_first_and_not_announced(
        service: RunningService) -> None:
    who = resident()
    first = (await service.client.post(ORDERS, json=body(), headers=who)).json()
    second = (await service.client.post(ORDERS, json=body(need="还是量血压"), headers=who)).json()
    assert (second["duplicate_of"], second["status"], second["outcome"]) == (
        first["order_id"], "closed", "duplicate")
    published = await service.published(second["order_id"])
    assert [e.type for e in published] == [OrderDuplicateLinked.event_type(),
                                           OrderClosed.event_type(),
                                           *[OrderStepRecorded.event_type()] * 2]
    assert [(e.data["step"], e.data.get("outcome")) for e in published[2:]] == [
        ("place", None), ("link_duplicate", "duplicate")]
    other_category = (await service.client.post(
        ORDERS, json=body("legal_aid", answers={"topic": "family"}), headers=who)).json()
    assert other_category["duplicate_of"] is None


async def test_a_resident_reads_only_their_own_orders(service: RunningService) -> None:
    owner, stranger = resident(), resident()
    order_id = (await service.client.post(ORDERS, json=body(), headers=owner)).json()["order_id"]
    assert (await service.client.get(f"{ORDERS}/{order_id}", headers=owner)).status_code == 200
    refused = await service.client.get(f"{ORDERS}/{order_id}", headers=stranger)
    assert refused.status_code == 403
    assert order_id in refused.json()["detail"]
    assert (await service.client.get(f"{ORDERS}/{order_id}/timeline",
                                     headers=stranger)).status_code == 403
    listed = (await service.client.get(ORDERS, headers=stranger)).json()
    assert listed["total"] == 0
    assert (await service.client.get(f"{ORDERS}/ord-none", headers=owner)).status_code == 404


async def test_the_phone_is_real_for_the_station_and_masked_for_the_institute(
        service: RunningService) -> None:
    order_id = (await service.client.post(ORDERS, json=body(), headers=resident())).json()[
        "order_id"]
    own = await service.client.get(f"{ORDERS}/{order_id}", headers=station_operator())
    assert own.json()["contact"]["phone"] == PHONE
    institute = token("dispatcher", institute=INSTITUTE)
    seen = await service.client.get(f"{ORDERS}/{order_id}", headers=institute)
    assert seen.json()["contact"] == {"name": "张*", "phone": "138****5678", "masked": True}
    other = await service.client.get(f"{ORDERS}/{order_id}",
                                     headers=station_operator(OTHER_STATION))
    assert other.status_code == 403


async def test_cancel_by_the_resident_closes_the_order_once(service: RunningService) -> None:
    owner = resident()
    order_id = (await service.client.post(ORDERS, json=body(), headers=owner)).json()["order_id"]
    reason = {"reason": "withdrawn"}
    stranger = await service.client.post(f"{ORDERS}/{order_id}/cancel", json=reason,
                                         headers=resident())
    assert stranger.status_code == 403
    cancelled = await service.client.post(f"{ORDERS}/{order_id}/cancel", json=reason,
                                          headers=owner)
    assert cancelled.json()["status"] == "cancelled"
    again = await service.client.post(f"{ORDERS}/{order_id}/cancel", json=reason, headers=owner)
    assert again.status_code == 409
    published = await service.published(order_id)
    assert [e.type for e in published] == [
        OrderPlaced.event_type(), OrderStepRecorded.event_type(), OrderCancelled.event_type(),
        OrderClosed.event_type(), OrderStepRecorded.event_type()]
    assert [(e.data["seq"], e.data["status"], e.data.get("outcome")) for e in published
            if e.type == OrderStepRecorded.event_type()] == [
        (0, "placed", None), (1, "cancelled", "cancelled")]
    steps = (await service.client.get(f"{ORDERS}/{order_id}/timeline", headers=owner)).json()
    assert [(s["step"], s["actor"]) for s in steps["steps"]] == [
        ("place", "resident"), ("cancel", "resident")]


async def test_the_timeline_names_the_operator_and_masks_the_resident(
        service: RunningService) -> None:
    subject = f"res-{uuid.uuid4().hex[:8]}"
    operator = token("station_operator", "op-wanhe-01", station=STATION, institute=INSTITUTE)
    placed = await service.client.post(ORDERS, json=body(resident_id=subject), headers=operator)
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]
    cancelled = await service.client.post(f"{ORDERS}/{order_id}/cancel",
                                          json={"reason": "withdrawn"}, headers=operator)
    assert cancelled.status_code == 200, cancelled.text
    own = (await service.client.post(ORDERS, json=body(), headers=resident(subject))).json()
    await service.client.post(f"{ORDERS}/{own['order_id']}/cancel",
                              json={"reason": "withdrawn"}, headers=resident(subject))
    by_station = (await service.client.get(f"{ORDERS}/{order_id}/timeline",
                                           headers=operator)).json()
    assert [(s["step"], s["actor"], s["actor_id"]) for s in by_station["steps"]] == [
        ("place", "station_operator", "op-wanhe-01"),
        ("cancel", "station_operator", "op-wanhe-01")]
    by_resident = await service.client.get(f"{ORDERS}/{own['order_id']}/timeline",
                                           headers=resident(subject))
    assert [(s["actor"], s["actor_id"]) for s in by_resident.json()["steps"]] == [
        ("resident", mask_ref(subject))] * 2
    assert subject not in by_resident.text


async def test_a_station_lists_its_orders_by_filter_and_page(service: RunningService) -> None:
    station = await service.new_station()
    operator = station_operator(station)
    for category, answers in (("legal_aid", {"topic": "land"}), ("legal_aid", {"topic": "land"}),
                              ("home_health_check", {})):
        placed = await service.client.post(
            ORDERS, json=body(category, station, answers=answers, resident_id=None),
            headers=operator)
        assert placed.status_code == 201, placed.text
    first = (await service.client.get(ORDERS, params={"page_size": 2},
                                      headers=operator)).json()
    assert (first["total"], len(first["items"])) == (3, 2)
    second = (await service.client.get(ORDERS, params={"page_size": 2, "page": 2},
                                       headers=operator)).json()
    ids = {o["order_id"] for o in first["items"] + second["items"]}
    assert len(ids) == 3
    legal = (await service.client.get(ORDERS, params={"category": "legal_aid",
                                                      "platform": "education",
                                                      "status": ["placed"]},
                                      headers=operator)).json()
    assert legal["total"] == 2
    later = (await service.client.get(ORDERS, params={"placed_from": "2100-01-01T00:00:00Z"},
                                      headers=operator)).json()
    assert later["total"] == 0
    beyond = await service.client.get(ORDERS, params={"station": STATION}, headers=operator)
    assert beyond.status_code == 403


async def test_bad_input_is_a_4xx_naming_the_field(service: RunningService) -> None:
    who = resident()
    phone = await service.client.post(
        ORDERS, json=body(contact={"name": "张三", "phone": "12345"}), headers=who)
    assert phone.status_code == 422
    assert "phone" in str(phone.json()["detail"])
    unknown = await service.client.post(ORDERS, json=body("moon_landing"), headers=who)
    assert unknown.status_code == 422
    assert "moon_landing" in unknown.json()["detail"][0]["msg"]
    missing = await service.client.post(ORDERS, json=body("legal_aid", answers={}), headers=who)
    assert missing.status_code == 422
    assert "topic" in missing.json()["detail"][0]["msg"]
    no_token = await service.client.post(ORDERS, json=body())
    assert no_token.status_code == 401
    volunteer = await service.client.post(ORDERS, json=body(), headers=token("volunteer"))
    assert volunteer.status_code == 403


async def test_every_bad_field_is_named_in_one_reply_by_its_place_in_the_body(
        service: RunningService) -> None:
    # A form shows each problem next to its field: the 422's loc must say where it is.
    who = resident()
    reply = await service.client.post(
        ORDERS, json=body(need="", contact={"name": "张三", "phone": "12345"}), headers=who)
    assert reply.status_code == 422
    places = {tuple(e["loc"]) for e in reply.json()["detail"]}
    assert places == {("body", "need"), ("body", "contact", "phone")}
    mine = (await service.client.get(ORDERS, headers=who)).json()
    assert mine["total"] == 0  # nothing half-saved


async def test_district_admins_manage_the_menu(service: RunningService) -> None:
    menu = (await service.client.get("/api/v1/requests/menu")).json()
    assert len(menu) >= 14
    assert {c["platform"] for c in menu} == {"theory", "education", "culture", "science",
                                             "fitness"}
    reading_club = {"code": "reading_club", "name_zh": "读书会", "name_en": "Reading club",
                    "platform": "culture", "specialty": "culture_heritage",
                    "group_activity": True, "accept_within": "P3D", "questions": []}
    url = "/api/v1/requests/menu/reading_club"
    refused = await service.client.put(url, json=reading_club, headers=station_operator())
    assert refused.status_code == 403
    admin = token("district_admin")
    assert (await service.client.put(url, json=reading_club, headers=admin)).status_code == 201
    placed = await service.client.post(ORDERS, json=body("reading_club", answers={},
                                                         audience_size=30), headers=resident())
    assert placed.status_code == 201, placed.text
    assert (await service.client.delete(url, headers=admin)).status_code == 204
    gone = await service.client.post(ORDERS, json=body("reading_club", answers={}),
                                     headers=resident())
    assert gone.status_code == 422
    assert "category" in gone.text  # a body naming a retired category: 422 naming the field
    # A retired (or never added) category named in the path is not found: 404, not 422.
    assert (await service.client.get(url)).status_code == 404
    assert (await service.client.delete(url, headers=admin)).status_code == 404
    assert (await service.client.get("/api/v1/requests/menu/moon_landing")).status_code == 404
