"""Answers and deadlines on real Kafka and MongoDB: grab, decline, expiry, escalation, cancel."""

from __future__ import annotations

import asyncio

import pytest

from civiloop_contracts.events.requests import CancelReason, OrderCancelled, OrderReopened
from civiloop_contracts.events.service import (
    DeclineReason,
    OrderAccepted,
    OrderDeclined,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.values import Role
from tests.services.dispatch.builders import District, order, volunteer
from tests.services.dispatch.integration.conftest import GRAB_CATEGORY
from tests.services.dispatch.integration.harness import Harness, types
from tests.support import eventually

pytestmark = pytest.mark.integration


def accepted(order_id: str, assignment_id: str, by: str) -> OrderAccepted:
    """A volunteer's accept of an assignment."""
    return OrderAccepted(order_id=order_id, assignment_id=assignment_id, accepted_by=by,
                         volunteer_ids=[by])


def declined(order_id: str, assignment_id: str, by: str) -> OrderDeclined:
    """A volunteer's decline of an assignment."""
    return OrderDeclined(order_id=order_id, assignment_id=assignment_id, declined_by=by,
                         reason=DeclineReason.UNAVAILABLE)


async def test_grab_mode_offers_the_top_three_and_the_first_accept_wins(
        dispatch: Harness) -> None:
    d, oid = District.new(), District.new().id("grab")
    vols = [d.id(f"v{i}") for i in range(4)]
    await dispatch.register(*(volunteer(v, d.station()) for v in vols))
    await dispatch.send(order(oid, d.station(), category=GRAB_CATEGORY))
    [(_, offer)] = await dispatch.wait_types(oid, "OrderDispatched")
    assert offer["mode"] == "grab"
    assert len(offer["volunteer_ids"]) == 3
    first, second, third = offer["volunteer_ids"]
    await dispatch.send(accepted(oid, offer["assignment_id"], second),
                        accepted(oid, offer["assignment_id"], first))
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn")
    withdrawn = events[1][1]
    assert withdrawn["cause"] == "grab_lost"
    assert sorted(withdrawn["volunteer_ids"]) == sorted([first, third])
    case = await dispatch.case(oid)
    assert case["status"] == "accepted"
    assert case["served_by"] == [f"volunteer:{second}"]
    winner = await dispatch.database.db["candidates"].find_one({"_id": f"volunteer:{second}"})
    assert winner is not None
    assert winner["load"] == 1
    await dispatch.send(ServiceCompleted(order_id=oid, assignment_id=offer["assignment_id"],
                                         hours=[VolunteerHours(volunteer_id=second, hours=2)],
                                         people_served=30))
    await _wait_load(dispatch, f"volunteer:{second}", 0)
    line = await dispatch.database.db["work"].find_one({"_id": f"{oid}|volunteer:{second}"})
    assert line is not None
    assert (line["assigned"], line["hours"]) == (True, 2.0)
    assert types(await dispatch.events(oid)) == ["OrderDispatched", "OrderWithdrawn"]


async def _wait_load(dispatch: Harness, key: str, load: int) -> None:
    for _ in range(600):
        doc = await dispatch.database.db["candidates"].find_one({"_id": key})
        if doc is not None and doc["load"] == load:
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"{key} never reached load {load}")


async def test_a_decline_sends_the_order_to_the_next_candidate(dispatch: Harness) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("near"), d.station("s1")),
                            volunteer(d.id("covering"), d.station("s2"),
                                      stations_covered=[d.station("s1").station]))
    await dispatch.send(order(oid, d.station("s1")))
    [(_, first)] = await dispatch.wait_types(oid, "OrderDispatched")
    assert first["volunteer_ids"] == [d.id("near")]
    await dispatch.send(declined(oid, first["assignment_id"], d.id("near")))
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderRedispatched")
    again = events[1][1]
    assert again["volunteer_ids"] == [d.id("covering")]
    assert (again["cause"], again["attempt"], again["level"]) == ("declined", 2, "station")
    assert again["previous_assignment_id"] == first["assignment_id"]
    assert "covers the station" in {r["note"] for r in again["reasons"]}
    near = await dispatch.database.db["candidates"].find_one({"_id": f"volunteer:{d.id('near')}"})
    assert near is not None
    assert near["declines"] == 1


async def test_an_expired_deadline_withdraws_the_offer_and_redispatches(
        dispatch: Harness) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()), volunteer(d.id("b"), d.station()))
    await dispatch.send(order(oid, d.station()))
    [(_, first)] = await dispatch.wait_types(oid, "OrderDispatched")
    await dispatch.expire(oid)
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn",
                                       "OrderRedispatched")
    withdrawn, again = events[1][1], events[2][1]
    assert withdrawn["cause"] == "expired"
    assert withdrawn["volunteer_ids"] == first["volunteer_ids"]
    assert again["cause"] == "expired"
    assert again["volunteer_ids"] != first["volunteer_ids"]
    timers = dispatch.database.db["timers"]
    assert await timers.count_documents({"order_id": oid, "state": "fired"}) == 1
    assert await timers.count_documents({"order_id": oid, "state": "pending"}) == 1


async def test_repeated_failure_escalates_to_the_institute_then_the_centre(
        dispatch: Harness) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(
        volunteer(d.id("a"), d.station("s1")), volunteer(d.id("b"), d.station("s1")),
        volunteer(d.id("c"), d.station("s2")),  # same institute
        volunteer(d.id("d"), d.station("s9", institute="i2")))  # same centre only
    await dispatch.send(order(oid, d.station("s1")))
    await dispatch.wait_types(oid, "OrderDispatched")
    await dispatch.expire(oid)
    await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn", "OrderRedispatched")
    await dispatch.expire(oid)
    events = await dispatch.wait_types(
        oid, "OrderDispatched", "OrderWithdrawn", "OrderRedispatched", "OrderWithdrawn",
        "OrderEscalated", "OrderRedispatched")
    up, at_institute = events[4][1], events[5][1]
    assert (up["from_level"], up["to_level"], up["cause"]) == ("station", "institute", "expired")
    assert at_institute["volunteer_ids"] == [d.id("c")]
    assert at_institute["level"] == "institute"
    await dispatch.send(declined(oid, at_institute["assignment_id"], d.id("c")))
    events = await dispatch.wait(oid, lambda evs: len(evs) == 8)
    up, at_centre = events[6][1], events[7][1]
    assert (up["from_level"], up["to_level"], up["cause"]) == ("institute", "centre",
                                                               "no_candidate")
    assert at_centre["volunteer_ids"] == [d.id("d")]
    assert at_centre["dispatching_unit"] == d.centre.model_dump()


async def test_a_cancelled_order_is_withdrawn_and_never_dispatched_again(
        dispatch: Harness) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()), volunteer(d.id("b"), d.station()))
    placed = order(oid, d.station())
    await dispatch.send(placed)
    [(_, first)] = await dispatch.wait_types(oid, "OrderDispatched")
    await dispatch.send(OrderCancelled(order_id=oid, reason=CancelReason.WITHDRAWN,
                                       cancelled_by=Role.RESIDENT))
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderWithdrawn")
    assert events[1][1]["cause"] == "taken_back"
    assert await dispatch.database.db["timers"].count_documents(
        {"order_id": oid, "state": "pending"}) == 0
    # A late decline, a deadline, and the same order published again change nothing.
    await dispatch.send(declined(oid, first["assignment_id"], d.id("a")), placed)
    await dispatch.expire(oid)
    marker = District.new().id("marker")  # processed after the above on the same consumers
    await dispatch.send(order(marker, d.station()))
    await dispatch.wait(marker, lambda evs: len(evs) >= 1)
    await asyncio.sleep(1.0)  # the deadline loop polls every 0.2 s
    assert types(await dispatch.events(oid)) == ["OrderDispatched", "OrderWithdrawn"]
    assert (await dispatch.case(oid))["status"] == "cancelled"


async def test_a_reopened_order_is_dispatched_afresh_from_its_station(
        dispatch: Harness) -> None:
    d = District.new()
    oid = d.id("ord")
    await dispatch.register(volunteer(d.id("a"), d.station()))
    await dispatch.send(order(oid, d.station()))
    [(_, first)] = await dispatch.wait_types(oid, "OrderDispatched")
    await dispatch.send(
        accepted(oid, first["assignment_id"], d.id("a")),
        ServiceCompleted(order_id=oid, assignment_id=first["assignment_id"], people_served=1,
                         hours=[VolunteerHours(volunteer_id=d.id("a"), hours=1)]))

    async def completed() -> bool:
        return bool((await dispatch.case(oid))["status"] == "completed")

    await eventually(completed)  # the topics are not ordered with each other
    await dispatch.send(OrderReopened(order_id=oid, follow_up_id=d.id("fu"),
                                      reason="血压计读数不对", reopen_count=1))
    events = await dispatch.wait_types(oid, "OrderDispatched", "OrderRedispatched")
    again = events[1][1]
    assert (again["cause"], again["level"], again["attempt"]) == ("reopened", "station", 2)
    assert again["volunteer_ids"] == [d.id("a")]  # a reopen starts over: a may serve again
