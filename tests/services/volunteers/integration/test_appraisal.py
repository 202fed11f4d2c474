"""Honours by appraisal on real Kafka and MongoDB: nomination → review → public notice with
objections → awarded (on the board, HonourAwarded) or withdrawn (never on the board)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from civiloop_contracts.envelope import utcnow
from tests.services.volunteers.builders import ADMIN, OPERATOR, token, unit
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration
H = "/api/v1/volunteers/honours"


def nomination(**changes: Any) -> dict[str, Any]:
    """A station's nomination of a resident for 身边好人."""
    return {"title": "good_person", "level": "district", "year": 2026,
            "holder_name": f"张{uuid.uuid4().hex[:4]}", "unit": unit().model_dump(),
            "deeds": "照顾孤寡老人十年", **changes}


async def _nominate(service: Service, **changes: Any) -> str:
    reply = await service.http.post(f"{H}/nominations", headers=OPERATOR,
                                    json=nomination(**changes))
    assert reply.status_code == 201, reply.text
    assert reply.json()["stage"] == "nominated"
    return str(reply.json()["nomination_id"])


async def _end_notice(service: Service, nomination_id: str) -> None:
    """Let the notice period have ended (the service's clock cannot be moved on)."""
    await service.database.db["nominations"].update_one({"_id": nomination_id}, {"$set": {
        "notice_until": (utcnow() - timedelta(minutes=1)).isoformat()}})


async def _board_names(service: Service) -> set[str]:
    return {h["name"] for h in (await service.http.get(f"{H}/board")).json()}


async def test_a_nomination_goes_through_notice_and_is_awarded_onto_the_board(
        service: Service) -> None:
    nominee = nomination(title="lei_feng", lei_feng_kind="volunteer")
    made = await service.http.post(f"{H}/nominations", headers=OPERATOR, json=nominee)
    assert made.status_code == 201, made.text
    nid = made.json()["nomination_id"]
    assert nominee["holder_name"] not in await _board_names(service)
    refused = await service.http.post(f"{H}/nominations/{nid}/review", headers=OPERATOR,
                                      json={"approve": True})
    assert refused.status_code == 403
    early = await service.http.post(f"{H}/nominations/{nid}/decide", headers=ADMIN,
                                    json={"award": True})
    assert early.status_code == 409
    assert "nominated" in early.json()["detail"]
    reviewed = await service.http.post(f"{H}/nominations/{nid}/review", headers=ADMIN,
                                       json={"approve": True, "note": "事迹属实"})
    assert reviewed.json()["stage"] == "in_notice"
    notices = (await service.http.get(f"{H}/notices")).json()
    [shown] = [n for n in notices if n["nomination_id"] == nid]
    assert shown["title_name"] == "学雷锋志愿服务四个优秀·最美志愿者"
    during = await service.http.post(f"{H}/nominations/{nid}/decide", headers=ADMIN,
                                     json={"award": True})
    assert during.status_code == 409
    assert "runs until" in during.json()["detail"]

    resident = token("resident", "res-9")
    objected = await service.http.post(f"{H}/nominations/{nid}/objections", headers=resident,
                                       json={"text": "事迹有夸大"})
    assert objected.status_code == 201, objected.text
    await _end_notice(service, nid)
    open_objection = await service.http.post(f"{H}/nominations/{nid}/decide", headers=ADMIN,
                                             json={"award": True})
    assert open_objection.status_code == 409
    assert "objection" in open_objection.text
    late = await service.http.post(f"{H}/nominations/{nid}/objections", headers=resident,
                                   json={"text": "再提一次"})
    assert late.status_code == 409
    oid = objected.json()["objection_id"]
    dismissed = await service.http.post(f"{H}/nominations/{nid}/objections/{oid}/resolve",
                                        headers=ADMIN, json={"upheld": False, "note": "已核实"})
    assert dismissed.json()["stage"] == "in_notice"
    awarded = await service.http.post(f"{H}/nominations/{nid}/decide", headers=ADMIN,
                                      json={"award": True})
    assert awarded.status_code == 200, awarded.text
    assert awarded.json()["stage"] == "awarded"
    board = (await service.http.get(f"{H}/board")).json()
    [honour] = [h for h in board if h["honour_id"] == awarded.json()["honour_id"]]
    assert honour["name"] == nominee["holder_name"]
    assert honour["story"] == "照顾孤寡老人十年"
    assert nid not in {n["nomination_id"] for n in (await service.http.get(f"{H}/notices")
                                                    ).json()}


async def test_an_upheld_objection_withdraws_and_nothing_reaches_the_board(
        service: Service) -> None:
    nid = await _nominate(service, title="district", district_title="北疆楷模")
    await service.http.post(f"{H}/nominations/{nid}/review", headers=ADMIN,
                            json={"approve": True})
    objected = await service.http.post(f"{H}/nominations/{nid}/objections",
                                       headers=token("volunteer", "vol-x"),
                                       json={"text": "不是本地居民"})
    oid = objected.json()["objection_id"]
    upheld = await service.http.post(f"{H}/nominations/{nid}/objections/{oid}/resolve",
                                     headers=ADMIN, json={"upheld": True, "note": "查实"})
    assert upheld.json()["stage"] == "withdrawn"
    again = await service.http.post(f"{H}/nominations/{nid}/decide", headers=ADMIN,
                                    json={"award": True})
    assert again.status_code == 409
    read = await service.http.get(f"{H}/nominations/{nid}", headers=OPERATOR)
    assert read.json()["objections"][0]["upheld"] is True
    holder = read.json()["holder_name"]
    assert holder not in await _board_names(service)

    turned_down = await _nominate(service)
    rejected = await service.http.post(f"{H}/nominations/{turned_down}/review", headers=ADMIN,
                                       json={"approve": False, "note": "材料不全"})
    assert rejected.json()["stage"] == "withdrawn"
    listed = await service.http.get(f"{H}/nominations", headers=OPERATOR,
                                    params={"stage": "withdrawn"})
    assert {nid, turned_down} <= {n["nomination_id"] for n in listed.json()["items"]}


async def test_titles_are_the_six_and_the_districts_own(service: Service) -> None:
    titles = (await service.http.get(f"{H}/titles")).json()
    assert set(titles["titles"]) == {"moral_model", "good_person", "virtuous_youth",
                                     "filial_youth", "civilised_herder", "lei_feng"}
    assert set(titles["lei_feng_kinds"]) == {"volunteer", "organisation", "project",
                                             "community"}
    assert titles["district_titles"] == ["北疆楷模", "最美人物"]
    unknown = await service.http.post(f"{H}/nominations", headers=OPERATOR, json=nomination(
        title="district", district_title="最美邻居"))
    assert unknown.status_code == 422
    assert "district_title" in unknown.text
    kindless = await service.http.post(f"{H}/nominations", headers=OPERATOR,
                                       json=nomination(title="lei_feng"))
    assert kindless.status_code == 422
    assert "lei_feng_kind" in kindless.text
    elsewhere = await service.http.post(f"{H}/nominations", headers=OPERATOR, json=nomination(
        unit=unit("another-station").model_dump()))
    assert elsewhere.status_code == 403
