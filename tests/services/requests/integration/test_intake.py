"""Station intake on real Kafka and MongoDB: one order per request, DLQ for bad events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from civiloop_contracts.codec import encode
from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel, OrderRequested, RatingSubmitted
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.masking import MaskedContact
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitRef
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_requests.app.placing import derived_order_id
from tests.services.requests.integration.service import INSTITUTE, STATION, RunningService
from tests.support import eventually, read_all, started_producer


def requested(request_id: str, **changes: Any) -> OrderRequested:
    """A resident's request for a free clinic, as a WeChat group bot publishes it."""
    start = utcnow() + timedelta(days=3)
    fields: dict[str, Any] = {
        "request_id": request_id, "platform": Platform.SCIENCE, "category": "free_clinic",
        "unit": UnitRef(centre="kunqu", institute=INSTITUTE, station=STATION),
        "need": "小区老人多，希望来一次义诊", "place": "万和阳光社区活动室",
        "window": TimeWindow(start=start, end=start + timedelta(hours=2)),
        "audience_size": 40, "requested_by": Role.RESIDENT,
        "resident_ref": f"res-{uuid.uuid4().hex[:8]}", "channel": Channel.WECHAT,
        "contact": MaskedContact(name="李*", phone="139****0000"), **changes}
    return OrderRequested(**fields)


def record(payload: Payload, source: str, **envelope: Any) -> Outgoing:
    """The Kafka record a frontend publishes on the intake topic."""
    encoded = encode(make_event(payload, source=source, **envelope))
    return Outgoing(STATION_INTAKE, encoded.key, encoded.value, encoded.headers)


async def _send(service: RunningService, *records: Outgoing) -> None:
    producer: EventProducer
    async with started_producer(service.settings.kafka_bootstrap, "station-app") as producer:
        await producer.send_all(list(records))


async def _placed(service: RunningService, order_id: str) -> int:
    return len(await service.published(order_id, OrderPlaced.event_type()))


async def test_an_intake_request_sent_twice_and_resent_makes_one_order(
        service: RunningService) -> None:
    source, request_id = "/stations/wanhe-yangguang/wechat", f"req-{uuid.uuid4().hex[:8]}"
    first = record(requested(request_id), source, event_id=f"evt-{uuid.uuid4().hex}")
    resent = record(requested(request_id), source)  # a new event id for the same request
    await _send(service, first, first, resent)
    order_id = derived_order_id(source, request_id)

    async def placed_once() -> bool:
        return await _placed(service, order_id) == 1
    await eventually(placed_once)
    stored = await service.runtime.database.db["orders"].find_one({"_id": order_id})
    assert stored is not None
    assert (stored["request_id"], stored["answers"], stored["channel"]) == (
        request_id, {"attendees": 40}, "wechat")
    # The same request id from another station's frontend is another order.
    await _send(service, record(requested(request_id), "/stations/dongcun/kiosk"))
    other = derived_order_id("/stations/dongcun/kiosk", request_id)

    async def other_placed() -> bool:
        return await _placed(service, other) == 1
    await eventually(other_placed)
    assert await _placed(service, order_id) == 1


async def test_a_bad_event_is_dead_lettered_with_its_reason_and_the_next_is_placed(
        service: RunningService) -> None:
    source = "/stations/wanhe-yangguang/kiosk"
    bad_id, good_id = f"req-{uuid.uuid4().hex[:8]}", f"req-{uuid.uuid4().hex[:8]}"
    garbage = Outgoing(STATION_INTAKE, bad_id.encode(), b"{not an event", [])
    unknown = record(requested(bad_id, category="moon_landing"), source)
    not_ours = record(RatingSubmitted(order_id="ord-x", stars=5, channel=Channel.KIOSK), source)
    good = record(requested(good_id), source)
    await _send(service, garbage, unknown, not_ours, good)

    async def good_placed() -> bool:
        return await _placed(service, derived_order_id(source, good_id)) == 1
    await eventually(good_placed)
    dead = [r for r in await read_all(service.settings.kafka_bootstrap, dlq_of(STATION_INTAKE),
                                      expect=2)
            if r.key == bad_id.encode()]
    reasons = sorted(dict(r.headers)[REASON_HEADER].decode() for r in dead)
    assert len(reasons) == 2
    assert reasons[0].startswith("contract: ")
    assert "moon_landing" in reasons[1]
    assert await service.runtime.database.db["orders"].count_documents(
        {"request_id": bad_id}) == 0
    # The rating is the feedback service's: ignored here, not dead-lettered.
    assert all(r.key != b"ord-x" for r in await read_all(
        service.settings.kafka_bootstrap, dlq_of(STATION_INTAKE), expect=2))


async def test_a_request_queued_offline_is_placed_when_the_resident_asked(
        service: RunningService) -> None:
    source, request_id = "/stations/wanhe-yangguang/app", f"req-{uuid.uuid4().hex[:8]}"
    asked = utcnow() - timedelta(hours=3)
    await _send(service, record(requested(request_id), source, time=asked))
    order_id = derived_order_id(source, request_id)

    async def placed() -> bool:
        return await _placed(service, order_id) == 1
    await eventually(placed)
    [event] = await service.published(order_id, OrderPlaced.event_type())
    assert abs(event.time - asked) < timedelta(milliseconds=2)
    stored = await service.runtime.database.db["orders"].find_one({"_id": order_id})
    assert stored is not None
    assert "queued at the station for 3.0 h" in stored["timeline"][0]["note"]


async def test_a_request_from_the_future_is_dead_lettered(service: RunningService) -> None:
    source, request_id = "/stations/wanhe-yangguang/app", f"req-{uuid.uuid4().hex[:8]}"
    await _send(service, record(requested(request_id), source,
                                time=utcnow() + timedelta(hours=2)))

    async def dead_lettered() -> bool:
        records = await read_all(service.settings.kafka_bootstrap, dlq_of(STATION_INTAKE),
                                 expect=1, within_s=2)
        return any(r.key == request_id.encode() and b"in the future" in
                   dict(r.headers)[REASON_HEADER] for r in records)
    await eventually(dead_lettered)
