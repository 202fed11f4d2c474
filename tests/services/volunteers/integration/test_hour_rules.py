"""The hour rules through HTTP on real Kafka and MongoDB (issue 13): a short service completes,
hours outside the rules wait for approval, a repeated step is a 409, no order gets stuck."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from civiloop_contracts.codec import decode
from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import (
    OrderRedispatched,
    OrderWithdrawn,
    RedispatchCause,
    WithdrawCause,
)
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.events.service import ServiceCompleted, ServiceHoursApproved
from civiloop_contracts.values import Platform, TimeWindow
from tests.services.volunteers.builders import OPERATOR, dispatched, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


async def accepted_order(service: Service, volunteer: str, start: datetime,
                         hours: float = 2) -> str:
    """An order with a window of ``hours`` from ``start``, offered to and accepted by ``volunteer``."""
    order = f"ord-{uuid.uuid4().hex[:10]}"
    placed = OrderPlaced(order_id=order, unit=unit(), platform=Platform.SCIENCE,
                         category="home_health_check", need="上门量血压", place="3号楼2单元",
                         window=TimeWindow(start=start, end=start + timedelta(hours=hours)),
                         channel=Channel.WECHAT)
    offer = dispatched(order, volunteers=[volunteer])
    [placed_id, _] = await service.send(placed, offer)
    await service.applied(placed_id)
    await service.offered(offer.assignment_id)
    reply = await service.http.post(
        f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept", json={},
        headers=token("volunteer", volunteer))
    assert reply.status_code == 200, reply.text
    return order


async def step(service: Service, order: str, name: str, who: str,
               body: dict[str, Any] | None = None) -> Any:
    """POST one step of serving ``order`` as volunteer ``who``."""
    return await service.http.post(f"/api/v1/volunteers/orders/{order}/{name}",
                                   json=body or {}, headers=token("volunteer", who))


async def ledger(service: Service, volunteer: str) -> dict[str, Any]:
    """The volunteer's hours ledger as the station sees it."""
    reply = await service.http.get(f"/api/v1/volunteers/{volunteer}/hours", headers=OPERATOR)
    assert reply.status_code == 200, reply.text
    found: dict[str, Any] = reply.json()
    return found


async def events_of(service: Service, order: str, kind: type[Any]) -> list[dict[str, Any]]:
    """The payloads of ``kind`` this service queued for ``order``."""
    rows = service.database.outbox.find({"key": order.encode()})
    return [e.data async for r in rows if (e := decode(r["value"])).type == kind.event_type()]


async def test_a_check_out_seconds_after_the_check_in_completes(service: Service) -> None:
    volunteer = await service.register(OPERATOR, volunteer_body())
    order = await accepted_order(service, volunteer, utcnow())
    arrived = utcnow()
    assert (await step(service, order, "check-in", volunteer,
                       {"at": arrived.isoformat()})).status_code == 200
    left = await step(service, order, "check-out", volunteer,
                      {"at": (arrived + timedelta(seconds=10)).isoformat()})
    assert left.status_code == 200, left.text
    done = await step(service, order, "complete", volunteer, {"people_served": 1})
    assert done.status_code == 200, done.text
    mine = await ledger(service, volunteer)
    assert [(e["hours"], e["status"]) for e in mine["entries"]] == [(0.01, "final")]
    [completed] = await events_of(service, order, ServiceCompleted)
    assert completed["hours"] == [{"volunteer_id": volunteer, "hours": 0.01}]


async def test_a_check_in_before_the_accept_waits_for_approval_capped(service: Service) -> None:
    volunteer = await service.register(OPERATOR, volunteer_body())
    order = await accepted_order(service, volunteer, utcnow(), hours=2)
    checked_in = await step(service, order, "check-in", volunteer,
                            {"at": (utcnow() - timedelta(hours=20)).isoformat()})
    assert checked_in.status_code == 200, checked_in.text
    assert (await step(service, order, "check-out", volunteer)).status_code == 200
    done = await step(service, order, "complete", volunteer, {"people_served": 1})
    assert done.status_code == 200, done.text

    mine = await ledger(service, volunteer)
    [entry] = mine["entries"]
    assert (entry["hours"], entry["status"], entry["source"]) == (3.0, "pending", "check_in_out")
    assert "before the accept" in entry["review"]
    assert (mine["counted_hours"], mine["star_level"]) == (0, 0)
    assert await events_of(service, order, ServiceHoursApproved) == []

    approved = await service.http.post(f"/api/v1/volunteers/hours/{entry['entry_id']}/approve",
                                       json={}, headers=OPERATOR)
    assert approved.status_code == 200, approved.text
    assert (await ledger(service, volunteer))["counted_hours"] == 3.0
    [approval] = await events_of(service, order, ServiceHoursApproved)
    assert approval["hours"] == [{"volunteer_id": volunteer, "hours": 3.0}]


async def test_a_repeated_complete_and_a_check_in_after_it_are_409(service: Service) -> None:
    volunteer = await service.register(OPERATOR, volunteer_body())
    order = await accepted_order(service, volunteer, utcnow())
    claim = {"people_served": 1, "hours": [{"volunteer_id": volunteer, "hours": 1}]}
    done = await step(service, order, "complete", volunteer, claim)
    assert done.status_code == 200, done.text
    again = await step(service, order, "complete", volunteer, claim)
    assert again.status_code == 409
    assert f"order {order} was completed already" in again.json()["detail"]
    late = await step(service, order, "check-in", volunteer)
    assert late.status_code == 409
    assert len(await events_of(service, order, ServiceCompleted)) == 1


async def test_a_reassigned_order_is_served_by_its_new_assignee(service: Service) -> None:
    first, second = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    order = await accepted_order(service, first, utcnow())
    [old] = await service.database.db["offers"].find({"order_id": order}).to_list()
    again = OrderRedispatched(**{**dispatched(order, volunteers=[second]).model_dump(),
                                 "previous_assignment_id": old["_id"],
                                 "cause": RedispatchCause.WITHDRAWN, "attempt": 2})
    await service.send(OrderWithdrawn(order_id=order, assignment_id=old["_id"],
                                      cause=WithdrawCause.TAKEN_BACK), again)
    await service.offered(again.assignment_id)
    await service.offered(old["_id"], lambda found: bool(found["withdrawals"]))
    took = await service.http.post(
        f"/api/v1/volunteers/assignments/{again.assignment_id}/accept", json={},
        headers=token("volunteer", second))
    assert took.status_code == 200, took.text
    refused = await step(service, order, "check-in", first)
    assert refused.status_code in (403, 409), refused.text
    arrived = await step(service, order, "check-in", second)
    assert arrived.status_code == 200, arrived.text
    assert (await step(service, order, "check-out", second)).status_code == 200
    done = await step(service, order, "complete", second, {"people_served": 1})
    assert done.status_code == 200, done.text


async def test_a_team_leader_completes_though_a_member_never_checked_out(
        service: Service) -> None:
    leader, member = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    team = (await service.http.post("/api/v1/volunteers/teams", headers=OPERATOR, json={
        "name": "医疗卫生志愿服务队", "specialty": "medicine_health", "platform": "science",
        "unit": volunteer_body()["unit"], "leader_id": leader, "member_ids": [member]})).json()
    order = f"ord-{uuid.uuid4().hex[:10]}"
    offer = dispatched(order, teams=[team["team_id"]])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    as_leader = token("team_leader", leader)
    took = await service.http.post(
        f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept",
        json={"volunteer_ids": [leader, member]}, headers=as_leader)
    assert took.status_code == 200, took.text
    for who in (leader, member):
        assert (await step(service, order, "check-in", who)).status_code == 200
    assert (await step(service, order, "check-out", leader)).status_code == 200
    done = await service.http.post(f"/api/v1/volunteers/orders/{order}/complete",
                                   json={"people_served": 12}, headers=as_leader)
    assert done.status_code == 200, done.text
    statuses = {t["volunteer_id"]: t["review"] for t in done.json()["hours"]}
    assert "did not check out" in statuses[member]
    [entry] = (await ledger(service, member))["entries"]
    assert (entry["status"], entry["source"]) == ("pending", "check_in_out")


async def test_a_summary_with_a_phone_number_is_a_422_and_the_order_still_completes(
        service: Service) -> None:
    volunteer = await service.register(OPERATOR, volunteer_body())
    order = await accepted_order(service, volunteer, utcnow())
    claim = [{"volunteer_id": volunteer, "hours": 1}]
    refused = await step(service, order, "complete", volunteer, {
        "people_served": 1, "summary": "老人电话13912345678，已量血压", "hours": claim})
    assert refused.status_code == 422
    assert "summary" in refused.text
    done = await step(service, order, "complete", volunteer, {
        "people_served": 1, "summary": "已量血压", "hours": claim})
    assert done.status_code == 200, done.text
