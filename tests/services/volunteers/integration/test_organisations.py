"""Organisations on real Kafka and MongoDB: register, search, change, members and teams,
figures, dissolve, and the events others learn it from."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest

from civiloop_contracts.envelope import utcnow
from tests.services.volunteers.builders import ADMIN, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service
from tests.support import eventually

pytestmark = pytest.mark.integration
ORGS = "/api/v1/volunteers/organisations"


async def _organisation(service: Service, headers: dict[str, str], **body: Any) -> str:
    reply = await service.http.post(ORGS, headers=headers, json=body)
    assert reply.status_code == 201, reply.text
    return str(reply.json()["organisation_id"])


async def test_an_organisation_gains_members_and_teams_and_counts_them(service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    home = unit(station).model_dump()
    operator = token("station_operator", "op-org", station)
    org = await _organisation(service, operator, name="阳光志愿者协会", unit=home,
                              specialties=["medicine_health"], number="KQ-0001")
    people = [await service.register(ADMIN, volunteer_body(unit=home)) for _ in range(3)]
    joined = await service.http.post(f"{ORGS}/{org}/members", headers=operator,
                                     json={"volunteer_ids": [*people, people[0]]})
    assert joined.status_code == 200, joined.text
    assert joined.json()["members"] == 3
    unknown = await service.http.post(f"{ORGS}/{org}/members", headers=operator,
                                      json={"volunteer_ids": ["vol-nobody"]})
    assert unknown.status_code == 404
    assert "vol-nobody" in unknown.text
    team = await service.http.post("/api/v1/volunteers/teams", headers=operator, json={
        "name": "阳光医疗队", "specialty": "medicine_health", "platform": "science",
        "unit": home, "organisation_id": org, "member_ids": people[:2]})
    assert team.status_code == 201, team.text
    left = await service.http.post(f"{ORGS}/{org}/members/remove", headers=operator,
                                   json={"volunteer_ids": [people[2]]})
    assert left.json()["members"] == 2

    read = await service.http.get(f"{ORGS}/{org}", headers=operator)
    assert read.status_code == 200, read.text
    figures = read.json()["figures"]
    assert (figures["members"], figures["teams"], figures["active_teams"]) == (2, 1, 1)
    members = await service.http.get(f"{ORGS}/{org}/members", headers=operator,
                                     params={"page_size": 1, "page": 2})
    assert members.json()["total"] == 2
    assert len(members.json()["items"]) == 1
    assert members.json()["items"][0]["volunteer_id"] in people[:2]
    assert "id_number" not in members.json()["items"][0]
    of_org = await service.http.get("/api/v1/volunteers/teams", headers=operator,
                                    params={"organisation": org})
    assert [t["team_id"] for t in of_org.json()["items"]] == [team.json()["team_id"]]
    elsewhere = token("station_operator", "op-else", "st-elsewhere")
    assert (await service.http.get(f"{ORGS}/{org}", headers=elsewhere)).status_code == 403
    assert (await service.http.post(f"{ORGS}/{org}/members", headers=elsewhere, json={
        "volunteer_ids": people[:1]})).status_code == 403


async def test_organisations_are_searched_by_name_or_number_and_filtered(
        service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    home = unit(station).model_dump()
    operator = token("station_operator", "op-search", station)
    red = await _organisation(service, operator, name="红十字志愿服务协会", unit=home,
                              number="KQ-RC-77")
    await _organisation(service, operator, name="红色宣讲团", unit=home, kind="institution")
    await _organisation(service, operator, name="青年志愿者协会", unit=home)

    async def names(**params: Any) -> list[str]:
        reply = await service.http.get(ORGS, headers=operator, params=params)
        assert reply.status_code == 200, reply.text
        return sorted(o["name"] for o in reply.json()["items"])

    assert await names(q="红") == ["红十字志愿服务协会", "红色宣讲团"]
    assert await names(q="红十字") == ["红十字志愿服务协会"]
    assert await names(q="KQ-RC-7") == ["红十字志愿服务协会"]
    assert await names(q="志愿") == []  # the start of a name, not anywhere in it
    assert await names(kind="institution") == ["红色宣讲团"]
    dissolved = await service.http.post(f"{ORGS}/{red}/dissolve", headers=operator,
                                         json={"reason": "合并入区志愿者协会"})
    assert dissolved.status_code == 200
    assert dissolved.json()["active"] is False
    assert await names(active="true") == ["红色宣讲团", "青年志愿者协会"]
    assert len(await names()) == 3  # dissolved ones stay on record
    again = await service.http.post(f"{ORGS}/{red}/dissolve", headers=operator,
                                    json={"reason": "再次"})
    assert again.status_code == 409
    renamed = await service.http.patch(f"{ORGS}/{red}", headers=operator, json={"name": "新名"})
    assert renamed.status_code == 409
    assert red in renamed.json()["detail"]
    bad = await service.http.get(ORGS, headers=operator, params={"kind": "club"})
    assert bad.status_code == 422
    assert "kind" in bad.text


async def test_volunteers_and_teams_are_searched_and_filtered(service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    home = unit(station).model_dump()
    operator = token("station_operator", "op-vsearch", station)
    wang = await service.register(ADMIN, volunteer_body(
        unit=home, name="王建国", volunteer_number="KQ2026000123"))
    await service.register(ADMIN, volunteer_body(unit=home, name="王芳", platforms=["education"],
                                                 specialties=["law"]))
    await service.register(ADMIN, volunteer_body(unit=home, name="李华"))

    async def names(**params: Any) -> list[str]:
        reply = await service.http.get("/api/v1/volunteers", headers=operator, params=params)
        assert reply.status_code == 200, reply.text
        return sorted(v["name"] for v in reply.json()["items"])

    assert await names(q="王") == ["王建国", "王芳"]
    assert await names(q="KQ2026") == ["王建国"]
    assert await names(platform="education") == ["王芳"]
    assert await names(specialty="medicine_health") == ["李华", "王建国"]
    assert await names(q="王", specialty="medicine_health") == ["王建国"]
    page = await service.http.get("/api/v1/volunteers", headers=operator,
                                  params={"q": "王", "page_size": 1})
    assert page.json()["total"] == 2
    assert len(page.json()["items"]) == 1
    team = await service.http.post("/api/v1/volunteers/teams", headers=operator, json={
        "name": "法律服务队", "specialty": "law", "platform": "education", "unit": home,
        "member_ids": [wang]})
    assert team.status_code == 201
    teams = await service.http.get("/api/v1/volunteers/teams", headers=operator,
                                   params={"q": "法律", "platform": "education"})
    assert [t["name"] for t in teams.json()["items"]] == ["法律服务队"]
    none = await service.http.get("/api/v1/volunteers/teams", headers=operator,
                                  params={"q": "法律", "platform": "science"})
    assert none.json()["total"] == 0


async def test_a_team_cannot_join_a_dissolved_organisation_and_events_tell_it(
        service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    home = unit(station).model_dump()
    operator = token("station_operator", "op-dis", station)
    org = await _organisation(service, operator, name="临时协会", unit=home)
    renamed = await service.http.patch(f"{ORGS}/{org}", headers=operator,
                                       json={"name": "长期协会", "specialties": ["law"]})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "长期协会"
    await service.http.post(f"{ORGS}/{org}/dissolve", headers=operator, json={"reason": "解散"})
    volunteer = await service.register(ADMIN, volunteer_body(unit=home))
    refused = await service.http.post("/api/v1/volunteers/teams", headers=operator, json={
        "name": "迟到的队", "specialty": "law", "platform": "education", "unit": home,
        "organisation_id": org, "member_ids": [volunteer]})
    assert refused.status_code == 409
    assert org in refused.json()["detail"]

    async def published() -> bool:
        return (await _types(service, org)).count("civiloop.OrganisationUpdated") == 2
    await eventually(published)
    assert (await _types(service, org))[0] == "civiloop.OrganisationRegistered"


async def _types(service: Service, organisation_id: str) -> list[str]:
    """The CloudEvents types this service published about the organisation, in order."""
    rows = service.database.outbox.find({"key": organisation_id.encode()},
                                        sort=[("created_at", 1), ("seq", 1)])
    return [json.loads(row["value"])["type"] async for row in rows]


async def test_an_attendance_sheet_records_many_hours_at_once_under_the_claim_rules(
        service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    home = unit(station).model_dump()
    operator = token("station_operator", "op-sheet", station)
    people = [await service.register(ADMIN, volunteer_body(unit=home)) for _ in range(2)]
    start = utcnow() - timedelta(days=2)
    activity = {"activity_id": f"act-{uuid.uuid4().hex[:8]}", "name": "理论宣讲",
                "start": start.isoformat(), "end": (start + timedelta(hours=3)).isoformat()}
    sheet = {"activity": activity, "content": "宣讲党的二十大精神",
             "lines": [{"volunteer_id": people[0], "hours": 3},
                       {"volunteer_id": people[1], "hours": 1.5}]}
    too_long = await service.http.post("/api/v1/volunteers/hours/sheets", headers=operator,
                                       json={**sheet, "lines": [{"volunteer_id": people[0],
                                                                 "hours": 4}]})
    assert too_long.status_code == 422
    recorded = await service.http.post("/api/v1/volunteers/hours/sheets", headers=operator,
                                       json=sheet)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["hours"] == 4.5
    again = await service.http.post("/api/v1/volunteers/hours/sheets", headers=operator,
                                    json=sheet)
    assert again.status_code == 409
    ledger = await service.http.get(f"/api/v1/volunteers/{people[0]}/hours", headers=operator)
    assert ledger.json()["counted_hours"] == 3
    assert ledger.json()["star_level"] == 1  # the test thresholds: 1 h for a star
    elsewhere = token("station_operator", "op-else", "st-elsewhere")
    refused = await service.http.post("/api/v1/volunteers/hours/sheets", headers=elsewhere,
                                      json={**sheet, "activity": {**activity,
                                                                  "activity_id": "act-other"}})
    assert refused.status_code == 403
