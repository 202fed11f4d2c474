"""What dispatch and requests report, applied on real Kafka and MongoDB: cancellations,
escalations, and events republished under new ids."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import EscalationCause, OrderEscalated
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import CancelReason, OrderCancelled, OrderPlaced
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitLevel
from civiloop_volunteers.domain.offers import WHOLE
from tests.services.volunteers.builders import OPERATOR, dispatched, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


def placed(order: str) -> OrderPlaced:
    """A lecture order of the Kun district's Wanhe station, later today."""
    start = utcnow() + timedelta(hours=3)
    return OrderPlaced(order_id=order, unit=unit(), platform=Platform.THEORY,
                       category="policy_lecture", need="宣讲医保政策", place="社区活动室",
                       window=TimeWindow(start=start, end=start + timedelta(hours=2)),
                       channel=Channel.KIOSK)


async def test_a_cancelled_order_takes_back_even_an_accepted_assignment(
        service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    offer = dispatched(order := f"ord-{uuid.uuid4().hex[:10]}", volunteers=[mine])
    await service.send(placed(order), offer)
    await service.offered(offer.assignment_id)
    as_me = token("volunteer", mine)
    await service.http.post(f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept",
                            json={}, headers=as_me)
    offers = await service.http.get("/api/v1/volunteers/offers/mine", headers=as_me)
    [shown] = [o for o in offers.json() if o["assignment_id"] == offer.assignment_id]
    assert (shown["order"]["place"], shown["withdrawn"]) == ("社区活动室", None)
    await service.send(OrderCancelled(order_id=order, reason=CancelReason.WITHDRAWN,
                                      cancelled_by=Role.RESIDENT))
    await service.offered(offer.assignment_id, lambda found: WHOLE in found["withdrawals"])
    late = await service.http.post(f"/api/v1/volunteers/orders/{order}/check-in", json={},
                                   headers=as_me)
    assert late.status_code == 409
    assert "withdrawn: cancelled (withdrawn)" in late.json()["detail"]


async def test_an_escalation_lapses_open_offers_and_keeps_accepted_ones(
        service: Service) -> None:
    taker, idle = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    order = f"ord-{uuid.uuid4().hex[:10]}"
    taken, left_open = dispatched(order, volunteers=[taker]), dispatched(order, volunteers=[idle])
    await service.send(taken, left_open)
    await service.offered(left_open.assignment_id)
    await service.http.post(f"/api/v1/volunteers/assignments/{taken.assignment_id}/accept",
                            json={}, headers=token("volunteer", taker))
    await service.send(OrderEscalated(order_id=order, from_level=UnitLevel.STATION,
                                      to_level=UnitLevel.INSTITUTE, to_unit=unit(),
                                      cause=EscalationCause.EXPIRED))
    await service.offered(left_open.assignment_id, lambda found: WHOLE in found["withdrawals"])
    lapsed = await service.http.post(
        f"/api/v1/volunteers/assignments/{left_open.assignment_id}/accept", json={},
        headers=token("volunteer", idle))
    assert "withdrawn: escalated to institute" in lapsed.json()["detail"]
    kept = await service.database.db["offers"].find_one({"_id": taken.assignment_id})
    assert kept is not None
    assert kept["withdrawals"] == {}


async def test_a_dispatch_republished_under_a_new_id_changes_nothing(service: Service) -> None:
    mine = await service.register(OPERATOR, volunteer_body())
    offer = dispatched(f"ord-{uuid.uuid4().hex[:10]}", volunteers=[mine])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    await service.http.post(f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept",
                            json={}, headers=token("volunteer", mine))
    # The same payload under a new event id: the inbox cannot tell, the natural key must.
    [again] = await service.send(offer)
    await service.applied(again)
    assert await service.database.db["offers"].count_documents({"order_id": offer.order_id}) == 1
    stored = await service.database.db["offers"].find_one({"_id": offer.assignment_id})
    assert stored is not None
    assert [a["by"] for a in stored["accepted"]] == [mine]
