"""The Open311 GeoReport v2 facade on real Kafka and MongoDB, as Open311 clients use it.

Reads go through the stock ``georeport`` client (PyPI, GeoReport v2) against the app served
over HTTP; it has no POST, so posts send the spec's example request (its fields, its
Content-Type) with httpx, and the JSON and multipart bodies other clients send.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any
from xml.etree.ElementTree import fromstring

import httpx
import pytest
import uvicorn
from georeport import GeoReport
from requests import HTTPError

from civiloop_contracts.events.requests import OrderPlaced
from tests.services.requests.integration.service import (
    INSTITUTE,
    STATION,
    RunningService,
    station_operator,
    token,
)
from tests.support import eventually

BASE = "/open311/v2"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
HERE = f"{INSTITUTE}.{STATION}"


def _key(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


@pytest.fixture(scope="module")
async def served(service: RunningService) -> AsyncIterator[str]:
    """The running app over real HTTP on a free local port: the Open311 root address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(service.app, host="127.0.0.1", port=port,
                                           log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)
    await eventually(started, within_s=30)
    yield f"http://127.0.0.1:{port}{BASE}"
    server.should_exit = True
    await asyncio.wait_for(task, 30)


async def _post(service: RunningService, fields: dict[str, str], **kwargs: Any
                ) -> httpx.Response:
    return await service.client.post(f"{BASE}/requests.json", data=fields, headers=FORM,
                                     **kwargs)


def _spec_example(key: str, account: str) -> dict[str, str]:
    """The spec's example POST, field for field, with a service and values of this district."""
    return {"api_key": key, "jurisdiction_id": HERE, "service_code": "home_health_check",
            "lat": "40.6571234", "long": "109.8405678", "address_string": "万和阳光社区3号楼",
            "email": "resident@example.org", "device_id": "tt222111", "account_id": account,
            "first_name": "三", "last_name": "张", "phone": "13812345678",
            "description": "张三老人需要上门量血压", "media_url": "http://example.org/a.jpg",
            "attribute[mobility_needs]": "true"}


async def test_a_stock_client_reads_the_menu_and_requests_without_a_key(
        service: RunningService, served: str) -> None:
    account = f"res-{uuid.uuid4().hex[:8]}"
    posted = await _post(service, _spec_example(_key(station_operator()), account))
    assert posted.status_code == 201, posted.text
    order_id = posted.json()[0]["service_request_id"]
    client = GeoReport(root_address=served, jurisdiction=HERE)
    listed = await asyncio.to_thread(client.get_service_list)
    assert "home_health_check" in {s["service_code"] for s in listed}
    definition = await asyncio.to_thread(client.get_service_definition, "legal_aid")
    assert definition["attributes"][0]["code"] == "topic"
    one = await asyncio.to_thread(client.get_service_request, order_id)
    opened = await asyncio.to_thread(client.get_service_requests, status="open",
                                     service_code="home_health_check")
    assert order_id in {r["service_request_id"] for r in opened}
    # Anyone's view: the area and the service, never the resident's words, name or address.
    assert (one["status"], one["service_code"], one["address"]) == (
        "open", "home_health_check", None)
    assert (one["lat"], one["long"]) == (40.66, 109.84)
    assert one["description"] == one["service_name"]
    shown = str(opened) + str(one)
    for secret in ("13812345678", "张三", "3号楼", "量血压", account):
        assert secret not in shown
    xml = GeoReport(root_address=served, jurisdiction=HERE, output_format="xml")
    assert (await asyncio.to_thread(xml.get_service_request, order_id))["lat"] == "40.66"


async def test_a_key_that_may_see_the_request_reads_it_in_full(service: RunningService) -> None:
    key = _key(station_operator())
    account = f"res-{uuid.uuid4().hex[:8]}"
    posted = await _post(service, _spec_example(key, account))
    order_id = posted.json()[0]["service_request_id"]
    assert posted.json()[0]["account_id"] == account
    assert len(await service.published(order_id, OrderPlaced.event_type())) == 1
    [one] = (await service.client.get(f"{BASE}/requests/{order_id}.json",
                                      params={"api_key": key})).json()
    assert (one["civiloop_status"], one["address"], one["description"]) == (
        "placed", "万和阳光社区3号楼", "张三老人需要上门量血压")
    assert (one["lat"], one["long"]) == (40.6571234, 109.8405678)
    assert one["expected_datetime"] > one["requested_datetime"]
    stored = await service.runtime.database.db["orders"].find_one({"_id": order_id})
    assert stored is not None
    assert stored["location"] == {"lat": 40.6571234, "long": 109.8405678}
    assert stored["place"] == "万和阳光社区3号楼"
    stranger = (await service.client.get(f"{BASE}/requests/{order_id}.json", params={
        "api_key": _key(token("resident"))})).json()[0]
    assert (stranger["address"], stranger["lat"]) == (None, 40.66)
    closed = (await service.client.get(f"{BASE}/requests.json", params={
        "api_key": key, "status": "closed", "service_code": "home_health_check"})).json()
    assert order_id not in {r["service_request_id"] for r in closed}


async def test_json_and_multipart_bodies_place_requests_too(service: RunningService) -> None:
    key = _key(station_operator())
    as_json = await service.client.post(f"{BASE}/requests.json", json={
        "api_key": key, "service_code": "legal_aid", "lat": 40.65, "long": 109.84,
        "account_id": f"res-{uuid.uuid4().hex[:8]}", "attribute": {"topic": "family"}})
    assert as_json.status_code == 201, as_json.text
    multipart = await service.client.post(
        f"{BASE}/requests.xml", data={"service_code": "legal_aid", "address_string": "5号楼",
                                      "attribute[topic]": "labour",
                                      "account_id": f"res-{uuid.uuid4().hex[:8]}"},
        files={"media": ("photo.jpg", b"\xff\xd8\xff", "image/jpeg")},
        headers={"Authorization": f"Bearer {key}"})
    assert multipart.status_code == 201, multipart.text
    placed = fromstring(multipart.text).findtext("request/service_request_id")
    [one] = (await service.client.get(f"{BASE}/requests/{placed}.json",
                                      params={"api_key": key})).json()
    assert (one["address"], one["lat"]) == ("5号楼", None)
    [by_json] = (await service.client.get(
        f"{BASE}/requests/{as_json.json()[0]['service_request_id']}.json",
        params={"api_key": key})).json()
    assert (by_json["lat"], by_json["long"], by_json["address"]) == (40.65, 109.84, "40.65,109.84")


@pytest.mark.parametrize(("fields", "status", "named"), [
    ({"api_key": None}, 401, "api_key"),
    ({"api_key": "not-a-token"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "moon_landing"}, 404, "moon_landing"),
    ({"jurisdiction_id": f"{INSTITUTE}.ghost"}, 404, "jurisdiction_id"),
    ({"lat": "north"}, 400, "lat"),
    ({"long": None}, 400, "long"),
    ({"lat": "91"}, 400, "lat"),
    ({"attribute[mobility_needs]": "maybe"}, 400, "attribute[mobility_needs]"),
    ({"phone": "111111111"}, 400, "phone"),
])
async def test_a_refused_post_is_the_spec_error_list_naming_the_parameter(
        service: RunningService, fields: dict[str, str | None], status: int, named: str) -> None:
    form = _spec_example(_key(station_operator()), f"res-{uuid.uuid4().hex[:8]}")
    form = {k: v for k, v in {**form, **fields}.items() if v is not None}
    reply = await _post(service, form)
    assert reply.status_code == status, reply.text
    [refusal] = reply.json()
    assert refusal["code"] == status
    assert named in refusal["description"]


@pytest.mark.parametrize(("path", "params", "status", "named"), [
    ("services.json", {"jurisdiction_id": "nowhere"}, 404, "jurisdiction_id"),
    ("services/moon.json", {}, 404, "moon"),
    ("requests.json", {"service_code": "moon"}, 404, "moon"),
    ("requests.json", {"jurisdiction_id": f"{INSTITUTE}.ghost"}, 404, "jurisdiction_id"),
    ("requests.json", {"api_key": "forged"}, 403, "api_key"),
    ("requests.json", {"page_size": "lots"}, 400, "page_size"),
    ("requests.json", {"status": "pending"}, 400, "status"),
    ("requests.json", {"start_date": "yesterday"}, 400, "start_date"),
    ("requests/no-such-order.json", {}, 404, "service_request_id"),
])
async def test_a_refused_read_is_the_spec_error_list(
        service: RunningService, path: str, params: dict[str, str], status: int,
        named: str) -> None:
    reply = await service.client.get(f"{BASE}/{path}", params=params)
    assert reply.status_code == status, reply.text
    [refusal] = reply.json()
    assert refusal["code"] == status
    assert named in refusal["description"]


async def test_a_listing_that_stops_at_a_page_links_the_next(service: RunningService) -> None:
    station = await service.new_station()
    key = _key(station_operator(station))
    for n in range(3):
        reply = await _post(service, {"api_key": key, "service_code": "legal_aid",
                                      "address_string": f"{n}号楼", "attribute[topic]": "family",
                                      "account_id": f"res-{uuid.uuid4().hex[:8]}"})
        assert reply.status_code == 201, reply.text
    first = await service.client.get(f"{BASE}/requests.json", params={
        "jurisdiction_id": f"{INSTITUTE}.{station}", "page_size": "2"})
    assert len(first.json()) == 2
    following = first.links["next"]["url"]
    second = await service.client.get(following)
    assert len(second.json()) == 1
    assert "next" not in second.links
    seen = {r["service_request_id"] for r in first.json() + second.json()}
    assert len(seen) == 3


async def test_the_stock_client_sees_a_refusal_as_an_http_error(
        service: RunningService, served: str) -> None:
    client = GeoReport(root_address=served, jurisdiction=f"{INSTITUTE}.ghost")
    with pytest.raises(HTTPError) as refused:
        await asyncio.to_thread(client.get_service_list)
    assert refused.value.response is not None
    assert refused.value.response.status_code == 404
