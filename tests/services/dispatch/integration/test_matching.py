"""Automatic dispatch on real Kafka and MongoDB: the right candidate, with reasons a person reads."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.volunteers import VolunteerStatus, VolunteerUpdated
from civiloop_contracts.values import Platform, Specialty
from tests.services.dispatch.builders import (
    MONDAY_EVENING,
    SATURDAY_MORNING,
    District,
    order,
    team,
    volunteer,
)
from tests.services.dispatch.integration.harness import Harness
from tests.support import eventually

pytestmark = pytest.mark.integration


async def test_the_best_fit_at_the_station_is_chosen_and_the_reasons_say_why(
        dispatch: Harness) -> None:
    d = District.new()
    here, there = d.station("s1"), d.station("s2")
    await dispatch.register(
        volunteer(d.id("doctor"), here, availability=[SATURDAY_MORNING]),
        volunteer(d.id("far-doctor"), there),  # fits, but at another station
        volunteer(d.id("teacher"), here, specialties=[], platforms=[Platform.SCIENCE]),
        volunteer(d.id("evening"), here, availability=[MONDAY_EVENING]),  # not free then
        volunteer(d.id("lawyer"), here, specialties=[Specialty.LAW], platforms=[]),
        team(d.id("clinic-team"), here, leader=d.id("doctor"),
             specialty=Specialty.MEDICINE_HEALTH, platform=Platform.SCIENCE))
    await dispatch.send(order(d.id("ord"), here))
    [(_, data)] = await dispatch.wait_types(d.id("ord"), "OrderDispatched")
    assert data["volunteer_ids"] == [d.id("doctor")]
    assert data["team_ids"] == []  # an individual order goes to a volunteer
    assert (data["mode"], data["level"], data["attempt"]) == ("directive", "station", 1)
    assert data["dispatching_unit"] == here.model_dump()
    notes = {r["note"] for r in data["reasons"]}
    assert {"specialty medicine_health", "home station", "0 of 3 orders open",
            "never assigned", "0 past declines"} <= notes
    assert data["score"] == pytest.approx(1.0)
    case = await dispatch.case(d.id("ord"))
    assert case["status"] == "offered"
    timer = await dispatch.database.db["timers"].find_one({"order_id": d.id("ord")})
    assert timer is not None
    assert timer["_id"] == data["assignment_id"]
    assert timer["state"] == "pending"


async def test_a_group_activity_goes_to_a_team_and_a_paused_volunteer_is_never_chosen(
        dispatch: Harness) -> None:
    d = District.new()
    here = d.station()
    await dispatch.register(
        volunteer(d.id("paused"), here),
        team(d.id("troupe"), here, leader=d.id("lead")),
        team(d.id("other-troupe"), d.station("s2"), leader=d.id("lead2")))
    await dispatch.send(VolunteerUpdated(volunteer_id=d.id("paused"),
                                         status=VolunteerStatus.PAUSED))
    await dispatch.send(order(d.id("show"), here, specialty=Specialty.CULTURE_SPORT,
                              platform=Platform.CULTURE, category="square_dance", group=True))
    [(_, data)] = await dispatch.wait_types(d.id("show"), "OrderDispatched")
    assert data["team_ids"] == [d.id("troupe")]
    assert data["volunteer_ids"] == []

    async def paused() -> bool:
        doc = await dispatch.database.db["candidates"].find_one(
            {"_id": f"volunteer:{d.id('paused')}"})
        return doc is not None and doc["active"] is False

    await eventually(paused)
    await dispatch.send(order(d.id("visit"), here))
    await dispatch.wait_types(d.id("visit"), "OrderEscalated", "OrderEscalated",
                              "OrderUnassignable")


async def test_nobody_at_the_station_escalates_to_the_institute_where_someone_fits(
        dispatch: Harness) -> None:
    d = District.new()
    await dispatch.register(volunteer(d.id("neighbour"), d.station("s2")))
    await dispatch.send(order(d.id("ord"), d.station("s1")))
    events = await dispatch.wait_types(d.id("ord"), "OrderEscalated", "OrderDispatched")
    escalated, dispatched = events[0][1], events[1][1]
    assert (escalated["from_level"], escalated["to_level"], escalated["cause"]) == (
        "station", "institute", "no_candidate")
    assert escalated["to_unit"] == d.institute().model_dump()
    assert dispatched["volunteer_ids"] == [d.id("neighbour")]
    assert dispatched["level"] == "institute"
    assert "same institute" in {r["note"] for r in dispatched["reasons"]}


async def test_an_order_nobody_fits_anywhere_is_unassignable(dispatch: Harness) -> None:
    d = District.new()
    await dispatch.register(volunteer(d.id("lawyer"), d.station(), specialties=[Specialty.LAW],
                                      platforms=[Platform.THEORY]))
    await dispatch.send(order(d.id("ord"), d.station()))
    events = await dispatch.wait_types(d.id("ord"), "OrderEscalated", "OrderEscalated",
                                       "OrderUnassignable")
    assert events[1][1]["to_level"] == "centre"
    assert events[2][1]["level"] == "centre"
    assert (await dispatch.case(d.id("ord")))["status"] == "unassignable"
