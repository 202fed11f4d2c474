"""The units tree on real Kafka and MongoDB: defined by the district admin, announced, and
an order naming a unit outside it refused over HTTP, on the intake topic and over Open311."""

from __future__ import annotations

import uuid

from civiloop_contracts.events.units import UnitDefined
from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_platform.kafka.dlq import REASON_HEADER
from tests.services.requests.integration.service import (
    INSTITUTE,
    STATION,
    RunningService,
    station_operator,
    token,
)
from tests.services.requests.integration.test_http_orders import ORDERS, body, resident
from tests.services.requests.integration.test_intake import record, requested
from tests.services.requests.integration.test_intake_cloudevents import dead_letters
from tests.support import started_producer

UNITS = "/api/v1/requests/units"
ADMIN = token("district_admin")


async def test_an_http_order_at_a_station_not_in_the_tree_is_refused_naming_the_field(
        service: RunningService) -> None:
    nowhere = await service.client.post(ORDERS, json=body(station="ghost-station"),
                                        headers=resident())
    assert nowhere.status_code == 422, nowhere.text
    [problem] = nowhere.json()["detail"]
    assert problem["loc"] == ["body", "unit", "station"]
    assert "'ghost-station' is not a station in the units tree" in problem["msg"]
    elsewhere = body() | {"unit": {"centre": "kunqu", "institute": "ghost-town",
                                   "station": STATION}}
    misplaced = await service.client.post(ORDERS, json=elsewhere, headers=resident())
    assert misplaced.status_code == 422, misplaced.text
    assert misplaced.json()["detail"][0]["loc"] == ["body", "unit", "institute"]
    assert await service.runtime.database.db["orders"].count_documents(
        {"unit.station": "ghost-station"}) == 0


async def test_an_intake_request_for_a_station_not_in_the_tree_is_dead_lettered(
        service: RunningService) -> None:
    request_id = f"req-{uuid.uuid4().hex[:8]}"
    unit = requested(request_id).unit.model_copy(update={"station": "ghost-station"})
    async with started_producer(service.settings.kafka_bootstrap, "station-app") as producer:
        await producer.send_all([record(requested(request_id, unit=unit),
                                        "/stations/ghost/app")])
    [dead] = await dead_letters(service.settings.kafka_bootstrap, request_id.encode())
    assert dict(dead.headers)[REASON_HEADER].decode() == (
        "rejected: data.unit.station: 'ghost-station' is not a station in the units tree")
    assert dead.topic == dlq_of(STATION_INTAKE)
    assert await service.runtime.database.db["orders"].count_documents(
        {"request_id": request_id}) == 0


async def test_an_open311_request_for_a_station_not_in_the_tree_is_a_404(
        service: RunningService) -> None:
    key = token("resident")["Authorization"].removeprefix("Bearer ")
    refused = await service.client.post(
        "/open311/v2/requests.json", content=f"api_key={key}&service_code=legal_aid"
        f"&address_string=x&attribute[topic]=family&jurisdiction_id={INSTITUTE}.ghost-station",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 404, refused.text  # the spec: jurisdiction_id not found
    assert "jurisdiction_id: 'kunhe.ghost-station'" in refused.json()[0]["description"]


async def test_the_admin_defines_a_unit_once_and_it_is_announced_once(
        service: RunningService) -> None:
    code = f"st-{uuid.uuid4().hex[:8]}"
    unit = {"name": "新站", "level": "station", "parent": INSTITUTE}
    first = await service.client.put(f"{UNITS}/{code}", json=unit, headers=ADMIN)
    again = await service.client.put(f"{UNITS}/{code}", json=unit, headers=ADMIN)
    renamed = await service.client.put(f"{UNITS}/{code}", json=unit | {"name": "新站二"},
                                       headers=ADMIN)
    assert (first.status_code, again.status_code, renamed.status_code) == (201, 200, 200)
    announced = await service.published(code, UnitDefined.event_type())
    assert [e.data["name"] for e in announced] == ["新站", "新站二"]
    assert announced[0].data == {"unit_id": code, "name": "新站", "name_en": None,
                                 "level": "station", "parent": INSTITUTE}
    listed = await service.client.get(UNITS, headers=station_operator())
    assert {"code": code, "name": "新站二", "name_en": None, "level": "station",
            "parent": INSTITUTE} in listed.json()
    placed = await service.client.post(ORDERS, json=body(station=code), headers=resident())
    assert placed.status_code == 201, placed.text


async def test_a_unit_that_does_not_fit_the_tree_is_refused(service: RunningService) -> None:
    orphan = await service.client.put(f"{UNITS}/orphan-1", headers=ADMIN, json={
        "name": "孤站", "level": "station", "parent": "no-such-institute"})
    assert orphan.status_code == 409
    assert "no-such-institute is not in the units tree" in orphan.json()["detail"]
    under_station = await service.client.put(f"{UNITS}/orphan-2", headers=ADMIN, json={
        "name": "站下站", "level": "station", "parent": STATION})
    assert under_station.status_code == 409
    demoted = await service.client.put(f"{UNITS}/{INSTITUTE}", headers=ADMIN, json={
        "name": "昆河镇", "level": "station", "parent": INSTITUTE})
    assert demoted.status_code == 409
    operator = await service.client.put(f"{UNITS}/orphan-3", headers=station_operator(),
                                        json={"name": "x", "level": "centre"})
    assert operator.status_code == 403
