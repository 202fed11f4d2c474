"""Team imports (CSV and XLSX) and hours totals per unit, on real Kafka and MongoDB."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from civiloop_contracts.envelope import utcnow
from civiloop_platform.auth import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET
from civiloop_volunteers.entrypoints.import_routes import XLSX
from tests.services.volunteers.builders import (
    ADMIN,
    INSTITUTE,
    OPERATOR,
    OTHER_OPERATOR,
    token,
    volunteer_body,
)
from tests.services.volunteers.integration.conftest import Service
from tests.support import eventually

pytestmark = pytest.mark.integration
TOTALS = "/api/v1/volunteers/hours/totals"


async def imported(service: Service, kind: str, content: bytes,
                   content_type: str) -> dict[str, Any]:
    """Upload ``content`` and wait for the finished report."""
    started = await service.http.post(f"/api/v1/volunteers/imports/{kind}", content=content,
                                      headers={**OPERATOR, "content-type": content_type})
    assert started.status_code == 202, started.text
    url = f"/api/v1/volunteers/imports/{started.json()['import_id']}"

    async def finished() -> bool:
        return bool((await service.http.get(url, headers=OPERATOR)).json()["status"] == "done")
    await eventually(finished)
    return dict((await service.http.get(url, headers=OPERATOR)).json())


async def test_teams_import_from_xlsx_naming_people_by_volunteer_number(
        service: Service) -> None:
    people = [volunteer_body() for _ in range(3)]
    ids = [await service.register(OPERATOR, body) for body in people]
    numbers = [body["volunteer_number"] for body in people]
    book = Workbook()
    sheet = book.active
    sheet.append(["队名", "specialty", "platform", "中心", "所", "站", "队长编号", "队员编号"])
    sheet.append(["科普志愿服务队", "science_tech", "science", "kun-district", "kunhe-town",
                  "wanhe-sunshine", numbers[0], f"{numbers[1]};{numbers[2]}"])
    sheet.append(["无名队", "science_tech", "science", "kun-district", "kunhe-town",
                  "wanhe-sunshine", "NV-NOBODY", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = await imported(service, "teams", buffer.getvalue(), XLSX)
    assert (report["accepted"], report["refused"]) == (1, 1)
    good, bad = report["rows"]
    assert "no volunteer numbered NV-NOBODY" in bad["reason"]
    team = await service.http.get(f"/api/v1/volunteers/teams/{good['id']}",
                                  headers=token("team_leader", ids[0]))
    assert team.json()["member_ids"] == ids


async def test_hundreds_of_rows_import_with_progress(service: Service) -> None:
    header = "name,id_number,phone,centre,institute,station"
    rows = []
    for _ in range(300):
        body = volunteer_body()
        service.id_numbers.add(body["id_number"])
        service.phones.add(body["phone"])
        rows.append(f"志愿者,{body['id_number']},{body['phone']},kun-district,kunhe-town,"
                    "wanhe-sunshine")
    rows.append(rows[0])  # the same person twice in one file
    report = await imported(service, "volunteers", "\n".join([header, *rows]).encode(),
                            "text/csv")
    assert (report["total"], report["done"], report["accepted"]) == (301, 301, 300)
    assert report["rows"][-1]["row"] == 302
    assert "already registered" in report["rows"][-1]["reason"]


async def test_counted_hours_total_per_volunteer_station_and_district(service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:8]}"
    operator = token("station_operator", "op-9", station)
    volunteers = [await service.register(operator, volunteer_body(station)) for _ in range(2)]
    start = utcnow() - timedelta(days=1)
    for volunteer, hours in zip(volunteers, (2, 1.5), strict=True):
        entry = (await service.http.post(f"/api/v1/volunteers/{volunteer}/hours",
                                         headers=token("volunteer", volunteer), json={
            "activity": {"name": "清扫街道", "start": start.isoformat(),
                         "end": (start + timedelta(hours=3)).isoformat()},
            "hours": hours, "content": "清扫"})).json()
        approved = await service.http.post(f"/api/v1/volunteers/hours/{entry['entry_id']}/approve",
                                           json={}, headers=operator)
        assert approved.status_code == 200, approved.text
    mine = await service.http.get("/api/v1/volunteers/hours/totals", headers=operator,
                                  params={"by": "station", "key": station})
    assert mine.json()["totals"] == [{"key": station, "hours": 3.5, "entries": 2,
                                      "volunteers": 2}]
    not_mine = await service.http.get("/api/v1/volunteers/hours/totals", headers=OTHER_OPERATOR,
                                      params={"by": "station", "key": station})
    assert not_mine.status_code == 403
    own = await service.http.get("/api/v1/volunteers/hours/totals",
                                 headers=token("volunteer", volunteers[1]),
                                 params={"by": "volunteer", "key": volunteers[1]})
    assert own.json()["totals"][0]["hours"] == 1.5
    district = await service.http.get("/api/v1/volunteers/hours/totals", headers=ADMIN,
                                      params={"by": "station"})
    assert {"key": station, "hours": 3.5, "entries": 2, "volunteers": 2} in \
        district.json()["totals"]


async def test_a_station_s_totals_are_its_institute_s_to_see_never_a_volunteer_s(
        service: Service) -> None:
    """Issue 13: an institute dispatcher got 403 for its own station's totals, while a
    volunteer of the station got the whole station's."""
    station = f"st-{uuid.uuid4().hex[:8]}"
    operator = token("station_operator", "op-9", station)
    volunteer = await service.register(operator, volunteer_body(station))
    start = utcnow() - timedelta(days=1)
    entry = (await service.http.post(f"/api/v1/volunteers/{volunteer}/hours",
                                     headers=token("volunteer", volunteer), json={
        "activity": {"name": "清扫街道", "start": start.isoformat(),
                     "end": (start + timedelta(hours=3)).isoformat()},
        "hours": 2, "content": "清扫"})).json()
    await service.http.post(f"/api/v1/volunteers/hours/{entry['entry_id']}/approve", json={},
                            headers=operator)
    asked = {"by": "station", "key": station}

    def dispatcher(institute: str) -> dict[str, str]:
        return {"Authorization": "Bearer " + mint_token(
            DEV_AUTH_SECRET, subject="disp-1", role="dispatcher", institute=institute)}

    own = await service.http.get(TOTALS, headers=dispatcher(INSTITUTE), params=asked)
    assert own.status_code == 200, own.text
    assert own.json()["totals"] == [{"key": station, "hours": 2, "entries": 1, "volunteers": 1}]
    elsewhere = await service.http.get(TOTALS, headers=dispatcher("youyi"), params=asked)
    assert (elsewhere.status_code, elsewhere.json()["totals"]) == (200, [])
    of_the_station = token("volunteer", volunteer, station)
    refused = await service.http.get(TOTALS, headers=of_the_station, params=asked)
    assert refused.status_code == 403, refused.text
    assert "volunteer" in refused.json()["detail"]
