"""The unit lists on real MongoDB: a station's volunteers, teams, organisations and services."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.values import Platform, TimeWindow
from tests.services.volunteers.builders import ADMIN, dispatched, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


async def test_a_station_lists_its_own_volunteers_and_teams_and_nothing_personal(
        service: Service) -> None:
    institute = f"inst-{uuid.uuid4().hex[:6]}"
    here, there = f"st-{uuid.uuid4().hex[:6]}", f"st-{uuid.uuid4().hex[:6]}"
    home = unit(here, institute).model_dump()
    mine = {await service.register(ADMIN, volunteer_body(unit=home)) for _ in range(3)}
    await service.register(ADMIN, volunteer_body(unit=unit(there, institute).model_dump()))
    made = await service.http.post("/api/v1/volunteers/teams", headers=ADMIN, json={
        "name": "医疗队", "specialty": "medicine_health", "platform": "science",
        "unit": home, "leader_id": sorted(mine)[0], "member_ids": sorted(mine)})
    assert made.status_code == 201, made.text
    operator = token("station_operator", "op-list", here)

    first = await service.http.get("/api/v1/volunteers", headers=operator,
                                   params={"page_size": 2})
    second = await service.http.get("/api/v1/volunteers", headers=operator,
                                    params={"page_size": 2, "page": 2})
    assert first.status_code == second.status_code == 200, first.text
    assert first.json()["total"] == 3
    listed = first.json()["items"] + second.json()["items"]
    assert {v["volunteer_id"] for v in listed} == mine
    assert all(v["unit"]["station"] == here and v["status"] == "active" for v in listed)
    # The clerk's roster: names to call people by, phones masked, never the ID number.
    assert all("id_number" not in v and v["name"] and "*" in v["phone"] for v in listed)
    by_institute = await service.http.get("/api/v1/volunteers", headers=ADMIN,
                                          params={"institute": institute})
    assert by_institute.json()["total"] == 4
    teams = await service.http.get("/api/v1/volunteers/teams", headers=operator)
    assert [t["team_id"] for t in teams.json()["items"]] == [made.json()["team_id"]]
    assert (await service.http.get("/api/v1/volunteers/organisations", headers=operator)
            ).json()["total"] == 0


async def test_a_list_outside_the_callers_unit_is_refused_naming_it(service: Service) -> None:
    operator = token("station_operator", "op-list", "st-mine")
    elsewhere = await service.http.get("/api/v1/volunteers/services", headers=operator,
                                       params={"station": "st-other"})
    assert elsewhere.status_code == 403
    assert "st-other" in elsewhere.json()["detail"]
    volunteer = await service.http.get("/api/v1/volunteers", headers=token("volunteer", "v-1"))
    assert volunteer.status_code == 403
    too_big = await service.http.get("/api/v1/volunteers", headers=ADMIN,
                                     params={"page_size": 1000})
    assert too_big.status_code == 422
    assert "page_size" in too_big.text


async def test_a_stations_services_list_the_completed_ones_with_people_served(
        service: Service) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    volunteer = await service.register(ADMIN, volunteer_body(unit=unit(station).model_dump()))
    order, start = f"ord-{uuid.uuid4().hex[:10]}", utcnow() - timedelta(hours=3)
    offer = dispatched(order, volunteers=[volunteer])
    await service.send(OrderPlaced(
        order_id=order, unit=unit(station), platform=Platform.SCIENCE, category="free_clinic",
        need="义诊", place="广场", window=TimeWindow(start=start, end=start + timedelta(hours=2)),
        channel=Channel.WECHAT), offer)
    await service.offered(offer.assignment_id)
    me = token("volunteer", volunteer)
    accepted = await service.http.post(
        f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept", json={}, headers=me)
    assert accepted.status_code == 200, accepted.text
    done = await service.http.post(f"/api/v1/volunteers/orders/{order}/complete", headers=me,
                                   json={"people_served": 12, "hours": [
                                       {"volunteer_id": volunteer, "hours": 1.5}]})
    assert done.status_code == 200, done.text

    listed = await service.http.get("/api/v1/volunteers/services",
                                    headers=token("station_operator", "op", station))
    [served] = listed.json()["items"]
    assert (served["order_id"], served["assignment_id"], served["people_served"]) == (
        order, offer.assignment_id, 12)
    assert served["volunteer_ids"] == [volunteer]
    assert served["completed_at"] is not None
