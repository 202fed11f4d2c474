"""Hand-picked bad input at every service's HTTP edge: each gets a 4xx naming what is wrong.

Issue 13's defects (a lone surrogate, a page past int64, a number as a date-time) and the
non-JSON cases a fuzzer seldom tries (huge, deep, mistyped, empty and repeated input).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fuzz.stack import CENTRE, INSTITUTE, STATION, Services, bearer

JSON = {"Content-Type": "application/json"}
LONE = "\\ud800"  # a lone surrogate as JSON writes it: valid JSON, but no Unicode text
ORDERS = "/api/v1/requests/orders"

# One JSON route per service, the caller who may use it, and a body whose field ``field``
# holds a lone surrogate while being otherwise invalid (so the 422 would echo it back).
SURROGATE_CASES: dict[str, tuple[str, str, str, str]] = {
    "requests": ("POST", ORDERS, "resident", "category"),
    "dispatch": ("POST", "/api/v1/dispatch/orders/ord-1/take-back", "district_admin", "reason"),
    "volunteers": ("POST", "/api/v1/volunteers", "station_operator", "name"),
    "feedback": ("POST", "/api/v1/feedback/orders/ord-1/rating", "resident", "stars"),
    "stats": ("PUT", "/api/v1/stats/units/kunhe", "district_admin", "name"),
}


def _order(**changes: Any) -> dict[str, Any]:
    """A valid order of the resident's station."""
    return {"unit": {"centre": CENTRE, "institute": INSTITUTE, "station": STATION},
            "category": "home_health_check", "need": "上门量血压", "place": "3号楼2单元",
            "window": {"start": "2030-12-05T14:00:00+08:00", "end": "2030-12-05T16:00:00+08:00"},
            "answers": {"mobility_needs": True}, **changes}


def _locs(reply: Any) -> list[list[Any]]:
    """The ``loc`` of every problem in a FastAPI-shaped error reply."""
    detail = reply.json()["detail"]
    assert isinstance(detail, list), reply.text
    return [problem["loc"] for problem in detail]


@pytest.mark.parametrize("name", sorted(SURROGATE_CASES))
def test_a_lone_surrogate_is_a_422_naming_the_field(services: Services, name: str) -> None:
    method, path, role, field = SURROGATE_CASES[name]
    body = '{"' + field + '": "' + LONE + '", "level": "nowhere"}'
    reply = services[name].client.request(method, path, data=body.encode(),
                                          headers={**JSON, **bearer(role)})
    assert reply.status_code == 422, reply.text
    assert ["body", field] in _locs(reply)
    assert "\\ud800" in reply.json()["detail"][0]["msg"]  # named, escaped, never echoed raw


def test_a_lone_surrogate_in_a_valid_order_is_refused_before_it_is_stored(
        services: Services) -> None:
    requests, me = services["requests"].client, bearer("resident", "resident-surrogate")
    body = json.dumps(_order(need="老人需要\ud800上门"))  # json.dumps escapes it as \ud800
    reply = requests.post(ORDERS, data=body.encode(), headers={**JSON, **me})
    assert reply.status_code == 422, reply.text
    assert _locs(reply) == [["body", "need"]]
    mine = requests.get(ORDERS, headers=me)
    assert mine.status_code == 200, mine.text
    assert mine.json()["total"] == 0


def test_a_lone_surrogate_in_a_key_names_the_key(services: Services) -> None:
    body = json.dumps(_order(answers={"mobility_\ud800": True}))
    reply = services["requests"].client.post(ORDERS, data=body.encode(),
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply) == [["body", "answers", "mobility_\\ud800"]]


def test_a_nul_character_is_refused_in_the_body_the_query_and_the_path(
        services: Services) -> None:
    requests, who = services["requests"].client, bearer("station_operator")
    in_body = requests.post(ORDERS, data=json.dumps(_order(place="3号楼\x00")).encode(),
                            headers={**JSON, **who})
    in_query = requests.get(f"{ORDERS}?category=a%00b", headers=who)
    in_path = requests.get(f"{ORDERS}/ord%00x", headers=who)
    assert (in_body.status_code, in_query.status_code, in_path.status_code) == (422, 422, 422)
    assert _locs(in_body) == [["body", "place"]]
    assert _locs(in_query) == [["query", "category"]]
    assert _locs(in_path) == [["path"]]


@pytest.mark.parametrize(("name", "path", "role"), [
    ("requests", f"{ORDERS}?page=9223372036854775807", "district_admin"),
    ("requests", f"{ORDERS}?page=10001", "district_admin"),
    ("requests", "/open311/v2/requests.json?page=9223372036854775807", "district_admin"),
    ("volunteers", "/api/v1/volunteers?page=9223372036854775807", "district_admin"),
    ("volunteers", "/api/v1/volunteers/teams?page=10001", "district_admin"),
    ("dispatch", "/api/v1/dispatch/queue?limit=9223372036854775807", "district_admin"),
    ("feedback", "/api/v1/feedback/ratings?limit=9223372036854775807", "district_admin"),
])
def test_paging_past_its_bound_is_refused(services: Services, name: str, path: str,
                                          role: str) -> None:
    reply = services[name].client.get(path, headers=bearer(role))
    assert 400 <= reply.status_code < 500, reply.text
    assert "page" in reply.text or "limit" in reply.text


def test_the_last_page_inside_the_bound_answers(services: Services) -> None:
    reply = services["requests"].client.get(f"{ORDERS}?page=10000&page_size=200",
                                            headers=bearer("district_admin"))
    assert reply.status_code == 200, reply.text
    assert reply.json()["items"] == []


@pytest.mark.parametrize(("name", "path", "role"), [
    ("requests", f"{ORDERS}?placed_from=0.5", "district_admin"),
    ("requests", f"{ORDERS}?placed_to=1700000000", "district_admin"),
    ("dispatch", "/api/v1/dispatch/fairness?since=0.5", "district_admin"),
    ("feedback", "/api/v1/feedback/satisfaction?until=1700000000", "district_admin"),
])
def test_a_number_is_not_a_date_time(services: Services, name: str, path: str,
                                     role: str) -> None:
    reply = services[name].client.get(path, headers=bearer(role))
    assert reply.status_code == 422, reply.text
    field = path.split("?")[1].split("=")[0]
    assert _locs(reply) == [["query", field]]
    assert "ISO 8601" in reply.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("name", "path"), [
    ("requests", f"{ORDERS}?placed_from=2026-12-01T09:30:00"),
    ("dispatch", "/api/v1/dispatch/fairness?until=2026-12-01T09:30:00"),
    ("feedback", "/api/v1/feedback/satisfaction?since=2026-12-01T09:30:00"),
])
def test_a_date_time_without_an_offset_is_refused(services: Services, name: str,
                                                  path: str) -> None:
    reply = services[name].client.get(path, headers=bearer("district_admin"))
    assert reply.status_code == 422, reply.text
    assert "offset" in reply.json()["detail"][0]["msg"]


def test_an_iso_date_time_with_an_offset_is_taken(services: Services) -> None:
    reply = services["requests"].client.get(
        ORDERS, params={"placed_from": "2026-12-01T09:30:00+08:00",
                        "placed_to": "2026-12-02T00:00:00Z"}, headers=bearer("district_admin"))
    assert reply.status_code == 200, reply.text


def test_a_huge_body_is_a_413_naming_the_body(services: Services) -> None:
    body = json.dumps(_order(need="x" * 2_000_000)).encode()
    reply = services["requests"].client.post(ORDERS, data=body,
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 413, reply.text
    assert _locs(reply) == [["body"]]


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_a_422_naming_the_body(services: Services, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    body = '{"answers": {"a": ' + nested + "}}"
    reply = services["requests"].client.post(ORDERS, data=body.encode(),
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply)[0][0] == "body"
    assert "deep" in reply.text


@pytest.mark.parametrize("headers", [
    {"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"}, {}])
def test_json_sent_as_another_content_type_is_a_422(services: Services,
                                                   headers: dict[str, str]) -> None:
    body = json.dumps(_order()).encode() + b"\xff"  # and not even UTF-8
    reply = services["requests"].client.post(ORDERS, data=body,
                                             headers={**headers, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply) == [["body"]]


def test_a_body_that_is_not_utf8_is_a_422_naming_the_body(services: Services) -> None:
    body = json.dumps(_order(), ensure_ascii=False).encode().replace("上".encode(), b"\xe4\xb8")
    reply = services["requests"].client.post(ORDERS, data=body,
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply) == [["body"]]
    assert "UTF-8" in reply.text


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b"null"])
def test_an_empty_or_broken_body_is_a_422(services: Services, body: bytes) -> None:
    reply = services["requests"].client.post(ORDERS, data=body,
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply)[0][0] == "body"


@pytest.mark.parametrize("number", ["1e400", "NaN", "-Infinity", "99999999999999999999"])
def test_a_number_json_or_mongodb_cannot_hold_is_a_422_naming_it(services: Services,
                                                                  number: str) -> None:
    body = json.dumps(_order(audience_size=0)).replace('"audience_size": 0',
                                                       f'"audience_size": {number}')
    reply = services["requests"].client.post(ORDERS, data=body.encode(),
                                             headers={**JSON, **bearer("resident")})
    assert reply.status_code == 422, reply.text
    assert _locs(reply) == [["body", "audience_size"]]


def test_a_repeated_single_valued_parameter_takes_the_last(services: Services) -> None:
    reply = services["requests"].client.get(f"{ORDERS}?page=1&page=2&page_size=5",
                                            headers=bearer("district_admin"))
    assert reply.status_code == 200, reply.text
    assert reply.json()["page"] == 2


def test_a_body_from_open311_that_is_not_utf8_is_a_4xx(services: Services) -> None:
    form = b"service_code=home_health_check&description=\xff\xfe"
    reply = services["requests"].client.post(
        "/open311/v2/requests.json", data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", **bearer("resident")})
    assert reply.status_code == 400, reply.text
    assert "body" in reply.text


@pytest.mark.parametrize(("name", "path", "status"), [
    ("stats", "/api/v1/stats/figures?as_of=9999-12-31", 422),
    ("stats", "/api/v1/stats/public/board?as_of=0001-01-01T00:00:00", 422),
    ("dispatch", "/api/v1/dispatch/fairness?until=0001-01-10T00:00:00Z", 422),
    ("requests", "/open311/v2/requests.json?end_date=0001-01-10", 400),
    ("requests", "/open311/v2/requests.json?page=%C2%B2", 400),  # "²" is a digit to isdigit()
])
def test_a_date_or_number_at_the_edge_of_the_calendar_is_refused(
        services: Services, name: str, path: str, status: int) -> None:
    admin = bearer("district_admin")
    reply = services[name].client.get(path, headers=admin)
    assert reply.status_code == status, reply.text


def test_a_menu_category_slower_than_an_order_can_carry_is_refused(services: Services) -> None:
    requests, admin = services["requests"].client, bearer("district_admin")
    clinic = requests.get("/api/v1/requests/menu/free_clinic").json()
    slow = {**clinic, "code": "slow_clinic", "accept_within": "P31D"}
    refused = requests.put("/api/v1/requests/menu/slow_clinic", json=slow, headers=admin)
    assert refused.status_code == 422, refused.text
    assert _locs(refused) == [["body", "accept_within"]]
    month = requests.put("/api/v1/requests/menu/slow_clinic",
                         json={**slow, "accept_within": "P30D"}, headers=admin)
    assert month.status_code in (200, 201), month.text
    order = requests.post(ORDERS, json=_order(category="slow_clinic", answers={"attendees": 30}),
                          headers=bearer("resident", "resident-slow"))
    assert order.status_code == 201, order.text
    assert order.json()["accept_within_min"] == 30 * 24 * 60
