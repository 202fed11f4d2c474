"""The Open311 GeoReport v2 facade on real Kafka and MongoDB, as an Open311 client uses it."""

from __future__ import annotations

import uuid
from xml.etree.ElementTree import fromstring

from civiloop_contracts.events.requests import OrderPlaced
from tests.services.requests.integration.service import (
    INSTITUTE,
    STATION,
    RunningService,
    station_operator,
    token,
)

BASE = "/open311/v2"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _key(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_services_and_definitions_list_the_menu(service: RunningService) -> None:
    listed = (await service.client.get(f"{BASE}/services.json")).json()
    clinic = next(s for s in listed if s["service_code"] == "free_clinic")
    assert (clinic["service_name"], clinic["metadata"], clinic["group"]) == (
        "义诊", True, "science")
    definition = (await service.client.get(f"{BASE}/services/legal_aid.json")).json()
    [topic] = definition["attributes"]
    assert (topic["code"], topic["datatype"], topic["required"]) == (
        "topic", "singlevaluelist", True)
    assert {v["key"] for v in topic["values"]} >= {"family", "labour"}
    xml = await service.client.get(f"{BASE}/services.xml")
    assert xml.headers["content-type"].startswith("text/xml")
    assert len(fromstring(xml.text).findall("service")) == len(listed)
    missing = await service.client.get(f"{BASE}/services/moon.json")
    assert missing.status_code == 422
    assert missing.json()[0]["code"] == 422


async def test_an_open311_request_is_placed_once_and_followed(service: RunningService) -> None:
    key = _key(station_operator())
    account = f"res-{uuid.uuid4().hex[:8]}"
    form = (f"api_key={key}&service_code=legal_aid&address_string=万和阳光社区5号楼"
            f"&description=邻里纠纷想咨询律师&first_name=三&last_name=张&phone=13812345678"
            f"&account_id={account}&attribute[topic]=family")
    posted = await service.client.post(f"{BASE}/requests.json", content=form, headers=FORM)
    assert posted.status_code == 201, posted.text
    [answer] = posted.json()
    order_id = answer["service_request_id"]
    assert answer["account_id"] == account
    assert len(await service.published(order_id, OrderPlaced.event_type())) == 1
    [one] = (await service.client.get(f"{BASE}/requests/{order_id}.json",
                                      params={"api_key": key})).json()
    assert (one["status"], one["civiloop_status"], one["service_name"]) == (
        "open", "placed", "法律援助咨询")
    assert one["expected_datetime"] > one["requested_datetime"]
    opened = (await service.client.get(f"{BASE}/requests.json", params={
        "api_key": key, "status": "open", "service_code": "legal_aid"})).json()
    assert order_id in {r["service_request_id"] for r in opened}
    closed = (await service.client.get(f"{BASE}/requests.json", params={
        "api_key": key, "status": "closed", "service_code": "legal_aid"})).json()
    assert order_id not in {r["service_request_id"] for r in closed}
    xml = await service.client.get(f"{BASE}/requests/{order_id}.xml", params={"api_key": key})
    assert fromstring(xml.text).findtext("request/service_request_id") == order_id


async def test_open311_refusals_use_the_spec_error_list(service: RunningService) -> None:
    form = "service_code=legal_aid&address_string=x&attribute[topic]=family"
    no_key = await service.client.post(f"{BASE}/requests.json", content=form, headers=FORM)
    assert no_key.status_code == 401
    assert no_key.json()[0]["description"].startswith("api_key")
    key = _key(station_operator())
    bad = await service.client.post(
        f"{BASE}/requests.json", content=f"api_key={key}&service_code=home_health_check"
        "&address_string=3号楼&attribute[mobility_needs]=maybe", headers=FORM)
    assert bad.status_code == 422
    assert "attribute[mobility_needs]" in bad.json()[0]["description"]
    resident = _key(token("resident"))
    nowhere = await service.client.post(
        f"{BASE}/requests.json", content=f"api_key={resident}&service_code=legal_aid"
        "&address_string=x&attribute[topic]=family", headers=FORM)
    assert nowhere.status_code == 400
    assert "jurisdiction_id" in nowhere.json()[0]["description"]
    placed = await service.client.post(
        f"{BASE}/requests.json", content=f"api_key={resident}&service_code=legal_aid"
        f"&address_string=x&attribute[topic]=family&jurisdiction_id={INSTITUTE}.{STATION}",
        headers=FORM)
    assert placed.status_code == 201, placed.text
    stranger = _key(token("resident"))
    order_id = placed.json()[0]["service_request_id"]
    hidden = await service.client.get(f"{BASE}/requests/{order_id}.json",
                                      params={"api_key": stranger})
    assert hidden.status_code == 403
    paged = await service.client.get(f"{BASE}/requests.json",
                                     params={"api_key": key, "page_size": "lots"})
    assert (paged.status_code, paged.json()[0]["description"][:10]) == (400, "page_size:")
