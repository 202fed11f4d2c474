"""The lists screens show: a station's volunteers and teams, and who serves a resident's order."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.values import Platform, TimeWindow
from civiloop_platform.auth import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET
from tests.services.volunteers.builders import ADMIN, dispatched, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


def _staff(role: str, station: str | None = None, institute: str | None = None,
           ) -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_token(DEV_AUTH_SECRET, subject="staff-1",
                                                    role=role, station=station,
                                                    institute=institute)}


async def test_a_station_lists_its_own_volunteers_and_teams_only(service: Service) -> None:
    here, there = f"st-{uuid.uuid4().hex[:6]}", f"st-{uuid.uuid4().hex[:6]}"
    mine = [await service.register(ADMIN, volunteer_body(here, name=n)) for n in ("王芳", "李明")]
    theirs = await service.register(ADMIN, volunteer_body(there))
    team = await service.http.post("/api/v1/volunteers/teams", headers=ADMIN, json={
        "name": "万和医疗队", "specialty": "medicine_health", "platform": "science",
        "unit": unit(here).model_dump(), "leader_id": mine[0], "member_ids": mine})
    assert team.status_code == 201, team.text
    operator = _staff("station_operator", here, "kunhe-town")
    listed = await service.http.get("/api/v1/volunteers", headers=operator)
    assert listed.status_code == 200, listed.text
    roster = listed.json()["items"]
    assert sorted(v["volunteer_id"] for v in roster) == sorted(mine)
    assert theirs not in listed.text
    assert sorted(v["name"] for v in roster) == sorted(["王芳", "李明"])  # the clerk's screen
    assert all("id_number" not in v and "*" in v["phone"] for v in roster)
    teams = await service.http.get("/api/v1/volunteers/teams", headers=operator)
    assert [t["team_id"] for t in teams.json()["items"]] == [team.json()["team_id"]]
    beyond = await service.http.get("/api/v1/volunteers", params={"station": there},
                                    headers=operator)
    assert beyond.status_code == 403
    assert there in beyond.json()["detail"]


async def test_an_institute_dispatcher_sees_its_stations_and_a_volunteer_sees_no_list(
        service: Service) -> None:
    station, institute = f"st-{uuid.uuid4().hex[:6]}", f"in-{uuid.uuid4().hex[:6]}"
    body = volunteer_body(unit=unit(station, institute).model_dump())
    someone = await service.register(ADMIN, body)
    dispatcher = _staff("dispatcher", institute=institute)
    listed = await service.http.get("/api/v1/volunteers", headers=dispatcher)
    assert [v["volunteer_id"] for v in listed.json()["items"]] == [someone]
    refused = await service.http.get("/api/v1/volunteers", headers=token("volunteer", someone))
    assert refused.status_code == 403
    assert "volunteer" in refused.json()["detail"]
    resident = await service.http.get("/api/v1/volunteers",
                                      headers=token("resident", "res-1", station))
    assert resident.status_code == 403


async def test_the_resident_of_an_order_sees_who_serves_it_masked(service: Service) -> None:
    order, resident = f"ord-{uuid.uuid4().hex[:10]}", f"res-{uuid.uuid4().hex[:6]}"
    server = await service.register(ADMIN, volunteer_body(name="赵志强"))
    start = utcnow() + timedelta(hours=3)
    placed = OrderPlaced(order_id=order, unit=unit(), platform=Platform.SCIENCE,
                         category="home_health_check", need="量血压", place="3号楼",
                         window=TimeWindow(start=start, end=start + timedelta(hours=1)),
                         channel=Channel.WEB, resident_id=resident)
    offer = dispatched(order, volunteers=[server])
    await service.send(placed, offer)
    await service.offered(offer.assignment_id)
    url = f"/api/v1/volunteers/orders/{order}/servers"
    mine = token("resident", resident)
    assert (await service.http.get(url, headers=mine)).json() == []  # offered, not accepted
    accepted = await service.http.post(
        f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept", json={},
        headers=token("volunteer", server))
    assert accepted.status_code == 200, accepted.text
    shown = await service.http.get(url, headers=mine)
    assert shown.json() == [{"volunteer_id": server, "name": "赵**", "star_level": 0}]
    other = await service.http.get(url, headers=token("resident", "res-someone-else"))
    assert other.status_code == 403
    unknown = await service.http.get("/api/v1/volunteers/orders/ord-nope/servers", headers=mine)
    assert unknown.status_code == 404


async def test_a_serving_volunteer_reads_their_check_in_and_out(service: Service) -> None:
    order, server = f"ord-{uuid.uuid4().hex[:10]}", await service.register(ADMIN, volunteer_body())
    offer = dispatched(order, volunteers=[server])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    me = token("volunteer", server)
    url = f"/api/v1/volunteers/orders/{order}/service"
    assert (await service.http.get(url, headers=me)).status_code == 404  # not accepted yet
    await service.http.post(f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept",
                            json={}, headers=me)
    checked = await service.http.post(f"/api/v1/volunteers/orders/{order}/check-in", json={},
                                      headers=me)
    assert checked.status_code == 200, checked.text
    shown = (await service.http.get(url, headers=me)).json()
    assert shown["attendance"][server]["checked_out_at"] is None
    assert shown["attendance"][server]["checked_in_at"]
    stranger = await service.http.get(url, headers=token("volunteer", "vol-stranger"))
    assert stranger.status_code == 403
