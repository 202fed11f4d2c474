"""接单 on real Kafka and MongoDB: dispatch offers an order, volunteers answer it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from civiloop_contracts.codec import decode
from civiloop_contracts.events.dispatch import (
    AssignMode,
    OrderRedispatched,
    OrderWithdrawn,
    RedispatchCause,
    WithdrawCause,
)
from civiloop_contracts.events.service import OrderAccepted, OrderDeclined
from civiloop_volunteers.domain.offers import WHOLE
from tests.services.volunteers.builders import OPERATOR, dispatched, token, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


def order_id() -> str:
    """A fresh order id."""
    return f"ord-{uuid.uuid4().hex[:10]}"


async def published(service: Service, order: str) -> list[Any]:
    """The envelopes this service queued for ``order``, in the order it wrote them."""
    rows = service.database.outbox.find({"key": order.encode()}, sort=[("created_at", 1),
                                                                      ("seq", 1)])
    return [decode(row["value"]) async for row in rows]


async def test_a_volunteer_accepts_and_someone_else_is_refused(service: Service) -> None:
    mine, other = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    offer = dispatched(order := order_id(), volunteers=[mine])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    url = f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept"
    refused = await service.http.post(url, json={}, headers=token("volunteer", other))
    assert refused.status_code == 403
    assert order in refused.json()["detail"]
    accepted = await service.http.post(url, json={}, headers=token("volunteer", mine))
    assert accepted.status_code == 200, accepted.text
    again = await service.http.post(url, json={}, headers=token("volunteer", mine))
    assert again.status_code == 200  # a repeated tap changes nothing
    [event] = await published(service, order)
    assert event.type == OrderAccepted.event_type()
    assert event.data["volunteer_ids"] == [mine]
    assert event.data["accepted_by"] == mine


async def test_a_decline_gives_the_reason_to_dispatch(service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    offer = dispatched(order := order_id(), volunteers=[mine])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    url = f"/api/v1/volunteers/assignments/{offer.assignment_id}/decline"
    no_reason = await service.http.post(url, json={}, headers=token("volunteer", mine))
    assert no_reason.status_code == 422
    assert "reason" in no_reason.text
    declined = await service.http.post(url, json={"reason": "unavailable", "note": "出差"},
                                       headers=token("volunteer", mine))
    assert declined.status_code == 200
    [event] = await published(service, order)
    assert event.type == OrderDeclined.event_type()
    assert (event.data["reason"], event.data["declined_by"]) == ("unavailable", mine)
    late = await service.http.post(url.replace("decline", "accept"), json={},
                                   headers=token("volunteer", mine))
    assert late.status_code == 409


async def test_a_withdrawn_or_redispatched_order_is_a_409_naming_why(service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    taken_back = dispatched(first := order_id(), volunteers=[mine])
    replaced = dispatched(second := order_id(), volunteers=[mine])
    await service.send(
        taken_back, OrderWithdrawn(order_id=first, assignment_id=taken_back.assignment_id,
                                   cause=WithdrawCause.TAKEN_BACK),
        replaced, OrderRedispatched(**{**dispatched(second, volunteers=["vol-else"]).model_dump(),
                                       "previous_assignment_id": replaced.assignment_id,
                                       "cause": RedispatchCause.EXPIRED, "attempt": 2}))
    for offer in (taken_back, replaced):
        await service.offered(offer.assignment_id, lambda found: WHOLE in found["withdrawals"])
    as_me = token("volunteer", mine)
    one = await service.http.post(
        f"/api/v1/volunteers/assignments/{taken_back.assignment_id}/accept", json={}, headers=as_me)
    assert one.status_code == 409
    assert "withdrawn: taken_back" in one.json()["detail"]
    two = await service.http.post(
        f"/api/v1/volunteers/assignments/{replaced.assignment_id}/accept", json={}, headers=as_me)
    assert two.status_code == 409
    assert "redispatched (expired)" in two.json()["detail"]
    assert await published(service, first) == []


async def test_volunteers_grab_one_pooled_order_at_once_and_exactly_one_wins(
        service: Service) -> None:
    pool = [await service.register(OPERATOR, volunteer_body()) for _ in range(4)]
    offer = dispatched(order := order_id(), volunteers=pool, mode=AssignMode.GRAB)
    await service.send(offer)
    await service.offered(offer.assignment_id)
    url = f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept"
    replies = await asyncio.gather(*[
        service.http.post(url, json={}, headers=token("volunteer", v)) for v in pool])
    assert sorted(r.status_code for r in replies) == [200, 409, 409, 409]
    for lost in [r for r in replies if r.status_code == 409]:
        assert "was taken by volunteer" in lost.json()["detail"]
    stored = await service.database.db["offers"].find_one({"_id": offer.assignment_id})
    assert stored is not None
    assert len(stored["accepted"]) == 1
    events = await published(service, order)
    assert [e.type for e in events] == [OrderAccepted.event_type()]
    winner = pool[[r.status_code for r in replies].index(200)]
    assert events[0].data["volunteer_ids"] == [winner]


async def test_a_team_leader_accepts_a_team_order_for_chosen_members(service: Service) -> None:
    leader, member, idle = [await service.register(OPERATOR, volunteer_body()) for _ in range(3)]
    team = (await service.http.post("/api/v1/volunteers/teams", headers=OPERATOR, json={
        "name": "法律志愿服务队", "specialty": "law", "platform": "theory",
        "unit": volunteer_body()["unit"], "leader_id": leader,
        "member_ids": [member, idle]})).json()
    offer = dispatched(order := order_id(), teams=[team["team_id"]])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    url = f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept"
    by_member = await service.http.post(url, json={}, headers=token("volunteer", member))
    assert by_member.status_code == 403
    by_leader = await service.http.post(url, json={"volunteer_ids": [leader, member]},
                                        headers=token("team_leader", leader))
    assert by_leader.status_code == 200, by_leader.text
    [event] = await published(service, order)
    assert event.data["team_id"] == team["team_id"]
    assert event.data["volunteer_ids"] == [leader, member]


async def test_a_paused_volunteer_takes_no_new_order(service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    paused = await service.http.patch(f"/api/v1/volunteers/{mine}", json={"status": "paused"},
                                      headers=token("volunteer", mine))
    assert paused.json()["status"] == "paused"
    offer = dispatched(order_id(), volunteers=[mine])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    refused = await service.http.post(
        f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept", json={},
        headers=token("volunteer", mine))
    assert refused.status_code == 409
    assert f"volunteer {mine} is paused" in refused.json()["detail"]


async def test_awaiting_offers_are_only_those_the_volunteer_may_still_answer(
        service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    answered, withdrawn, waiting = (dispatched(order_id(), volunteers=[mine]) for _ in range(3))
    await service.send(answered, withdrawn, waiting, OrderWithdrawn(
        order_id=withdrawn.order_id, assignment_id=withdrawn.assignment_id,
        cause=WithdrawCause.TAKEN_BACK))
    await service.offered(waiting.assignment_id)
    await service.offered(withdrawn.assignment_id, lambda found: WHOLE in found["withdrawals"])
    as_me = token("volunteer", mine)
    accepted = await service.http.post(
        f"/api/v1/volunteers/assignments/{answered.assignment_id}/accept", json={},
        headers=as_me)
    assert accepted.status_code == 200, accepted.text
    every = await service.http.get("/api/v1/volunteers/offers/mine", headers=as_me)
    assert {o["assignment_id"] for o in every.json()} == {
        answered.assignment_id, withdrawn.assignment_id, waiting.assignment_id}
    open_ = await service.http.get("/api/v1/volunteers/offers/mine?awaiting=true",
                                   headers=as_me)
    [shown] = open_.json()
    assert (shown["assignment_id"], shown["withdrawn"]) == (waiting.assignment_id, None)
