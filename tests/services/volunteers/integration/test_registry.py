"""The registry on real Kafka and MongoDB: registration, dedup, teams, and a CSV import."""

from __future__ import annotations

from typing import Any

import pytest

from civiloop_volunteers.domain.identity import resident_id_check
from tests.services.volunteers.builders import (
    ADMIN,
    OPERATOR,
    OTHER_OPERATOR,
    id_number,
    phone,
    token,
    unit,
    volunteer_body,
)
from tests.services.volunteers.integration.conftest import Service
from tests.support import eventually

pytestmark = pytest.mark.integration


async def test_a_person_registers_once_and_a_second_time_is_a_409_naming_them(
        service: Service) -> None:
    body = volunteer_body()
    first = await service.register(OPERATOR, body)
    again = await service.http.post("/api/v1/volunteers", headers=OPERATOR, json={
        **volunteer_body(), "id_number": body["id_number"].lower()})
    assert again.status_code == 409
    assert first in again.json()["detail"]
    assert "ID number" in again.json()["detail"]
    same_number = await service.http.post("/api/v1/volunteers", headers=ADMIN, json={
        **volunteer_body(), "volunteer_number": body["volunteer_number"]})
    assert same_number.status_code == 409
    assert first in same_number.json()["detail"]
    assert "volunteer number" in same_number.json()["detail"]
    assert await service.database.db["volunteers"].count_documents(
        {"volunteer_number": body["volunteer_number"]}) == 1


async def test_registration_checks_the_id_number_and_the_station(service: Service) -> None:
    bad = id_number()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    refused = await service.http.post("/api/v1/volunteers", headers=OPERATOR,
                                      json=volunteer_body(id_number=bad))
    assert refused.status_code == 422
    assert "id_number" in refused.text or "check digit" in refused.text
    elsewhere = await service.http.post("/api/v1/volunteers", headers=OTHER_OPERATOR,
                                        json=volunteer_body())
    assert elsewhere.status_code == 403
    assert "wanhe-sunshine" in elsewhere.json()["detail"]


async def test_volunteers_see_only_themselves_and_the_record_masks_the_id(
        service: Service) -> None:
    body = volunteer_body()
    me = await service.register(OPERATOR, body)
    other = await service.register(OPERATOR, volunteer_body())
    mine = await service.http.get(f"/api/v1/volunteers/{me}", headers=token("volunteer", me))
    assert mine.status_code == 200
    assert mine.json()["id_number"] != body["id_number"]
    assert mine.json()["id_number"].endswith(body["id_number"][-4:])
    theirs = await service.http.get(f"/api/v1/volunteers/{other}",
                                    headers=token("volunteer", me))
    assert theirs.status_code == 403
    assert (await service.http.get(f"/api/v1/volunteers/{me}",
                                   headers=OTHER_OPERATOR)).status_code == 403
    edited = await service.http.patch(f"/api/v1/volunteers/{me}", headers=token("volunteer", me),
                                      json={"skills": ["legal_aid"], "phone": phone()})
    assert edited.json()["skills"] == ["legal_aid"]
    moved = await service.http.patch(f"/api/v1/volunteers/{me}", headers=token("volunteer", me),
                                     json={"unit": unit("kunhe-xincun").model_dump()})
    assert moved.status_code == 403


async def test_a_volunteer_is_in_several_teams_and_the_leader_manages_one(
        service: Service) -> None:
    leader, member, newcomer = [await service.register(OPERATOR, volunteer_body())
                                for _ in range(3)]
    team = {"name": "万和阳光医疗卫生志愿服务队", "specialty": "medicine_health",
            "platform": "science", "unit": unit().model_dump(), "leader_id": leader,
            "member_ids": [member]}
    first = (await service.http.post("/api/v1/volunteers/teams", headers=OPERATOR, json=team)).json()
    second = (await service.http.post("/api/v1/volunteers/teams", headers=OPERATOR, json={
        **team, "name": "万和阳光党员志愿服务队", "specialty": "party_members",
        "leader_id": member, "member_ids": []})).json()
    assert first["member_ids"] == [leader, member]
    seen = await service.http.get(f"/api/v1/volunteers/{member}", headers=OPERATOR)
    assert sorted(seen.json()["team_ids"]) == sorted([first["team_id"], second["team_id"]])
    as_leader = token("team_leader", leader)
    grown = await service.http.patch(f"/api/v1/volunteers/teams/{first['team_id']}",
                                     headers=as_leader, json={"add_member_ids": [newcomer]})
    assert grown.json()["member_ids"] == [leader, member, newcomer]
    assert (await service.http.get(f"/api/v1/volunteers/{newcomer}",
                                   headers=as_leader)).status_code == 200
    not_theirs = await service.http.patch(f"/api/v1/volunteers/teams/{second['team_id']}",
                                          headers=as_leader, json={"name": "x"})
    assert not_theirs.status_code == 403


async def test_a_csv_import_reports_each_row(service: Service) -> None:
    taken = volunteer_body()
    await service.register(OPERATOR, taken)
    good = [id_number(), id_number()]
    wrong = "150203198001011234"
    wrong = wrong[:17] + ("0" if resident_id_check(wrong[:17]) != "0" else "1")
    header = "姓名,证件号码,手机,志愿者编号,技能,专长,平台,中心,所,站,可服务时间"
    rows = [f"王芳,{good[0]},{phone()},,first_aid;singing,culture_sport,culture,"
            f"kun-district,kunhe-town,wanhe-sunshine,6 09:00-12:00; 7 14:00-17:00",
            f"赵强,{wrong},{phone()},,,,,kun-district,kunhe-town,wanhe-sunshine,",
            f"孙丽,{taken['id_number']},{phone()},,,,,kun-district,kunhe-town,wanhe-sunshine,",
            f"周杰,{good[1]},{phone()},,,,,kun-district,kunhe-town,other-station,",
            f"吴敏,{id_number()},12345,,,,,kun-district,kunhe-town,wanhe-sunshine,"]
    service.id_numbers.update(good)
    started = await service.http.post(
        "/api/v1/volunteers/imports/volunteers", headers={**OPERATOR, "content-type": "text/csv"},
        content="\n".join([header, *rows]).encode("utf-8-sig"))
    assert started.status_code == 202, started.text
    assert started.json()["total"] == 5
    url = f"/api/v1/volunteers/imports/{started.json()['import_id']}"

    async def finished() -> bool:
        return bool((await service.http.get(url, headers=OPERATOR)).json()["status"] == "done")
    await eventually(finished)
    report = (await service.http.get(url, headers=OPERATOR)).json()
    assert (report["accepted"], report["refused"]) == (1, 4)
    outcome = {r["row"]: r for r in report["rows"]}
    assert outcome[2]["status"] == "accepted"
    assert "check digit" in outcome[3]["reason"]
    assert "already registered as volunteer" in outcome[4]["reason"]
    assert "outside this caller's unit" in outcome[5]["reason"]
    assert outcome[6]["reason"].startswith("phone")
    imported = await service.http.get(f"/api/v1/volunteers/{outcome[2]['id']}", headers=OPERATOR)
    assert imported.json()["availability"][1] == {"weekday": 7, "start": "14:00", "end": "17:00"}


async def _import(service: Service, csv: str) -> dict[str, Any]:
    """Upload ``csv`` as a volunteers import and wait for its report."""
    started = await service.http.post(
        "/api/v1/volunteers/imports/volunteers", headers={**OPERATOR, "content-type": "text/csv"},
        content=csv.encode())
    assert started.status_code == 202, started.text
    url = f"/api/v1/volunteers/imports/{started.json()['import_id']}"

    async def finished() -> bool:
        return bool((await service.http.get(url, headers=OPERATOR)).json()["status"] != "running")
    await eventually(finished, within_s=180)
    report: dict[str, Any] = (await service.http.get(url, headers=OPERATOR)).json()
    assert report["status"] == "done", report.get("error")
    return report


async def test_a_large_import_refuses_only_its_bad_rows_and_a_second_upload_applies_nothing(
        service: Service) -> None:
    people = [(id_number(), phone()) for _ in range(1200)]  # three chunks of 500 rows at most
    rows = [f"志愿者{i},{n},{p},,kun-district,kunhe-town,wanhe-sunshine"
            for i, (n, p) in enumerate(people)]
    rows[698] = rows[698].replace(people[698][1], "12345")  # line 700: a bad phone
    rows.append(f"重复,{people[1][0]},{phone()},,kun-district,kunhe-town,wanhe-sunshine")
    service.id_numbers.update(n for n, _ in people)
    csv = "\n".join(["姓名,证件号码,手机,志愿者编号,中心,所,站", *rows])

    first = await _import(service, csv)
    assert (first["total"], first["accepted"], first["refused"]) == (1201, 1199, 2)
    refused = {r["row"]: r["reason"] for r in first["rows"] if r["status"] == "refused"}
    assert set(refused) == {700, 1202}
    assert refused[700].startswith("phone")
    same = next(r["id"] for r in first["rows"] if r["row"] == 3)
    assert refused[1202] == f"already registered as volunteer {same} (same ID number)"
    ids = [r["id"] for r in first["rows"] if r["status"] == "accepted"]
    assert await service.database.outbox.count_documents(
        {"key": {"$in": [i.encode() for i in ids]}}) == 1199  # one VolunteerRegistered each

    again = await _import(service, csv)
    assert (again["accepted"], again["refused"]) == (0, 1201)
    assert all("already registered" in r["reason"] for r in again["rows"] if r["row"] != 700)
    assert await service.database.db["volunteers"].count_documents(
        {"_id": {"$in": ids}}) == 1199
    assert await service.database.outbox.count_documents(
        {"key": {"$in": [i.encode() for i in ids]}}) == 1199
