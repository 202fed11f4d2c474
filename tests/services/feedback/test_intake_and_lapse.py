"""Intake ratings and the auto-close on fakes; reopen starts a new round to rate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest

from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.events.feedback import FeedbackChanged, FeedbackGiven, RatingLapsed
from civiloop_contracts.events.intake import Channel, RatingSubmitted
from civiloop_contracts.events.requests import CancelReason, OrderCancelled, OrderReopened
from civiloop_contracts.payload import ContractError, make_event
from civiloop_contracts.values import Role
from civiloop_feedback.app.intake import expire_unknown, intake_handlers
from civiloop_feedback.app.lapse import lapse_order
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.domain.errors import AlreadyRated, RatingWindowClosed
from civiloop_feedback.domain.rating import Judgement
from civiloop_platform.messages import Received
from tests.services.feedback.builders import at, envelope, feed, order_placed, service_completed
from tests.services.feedback.fakes import FakeFeedbackUnitOfWork
from tests.services.feedback.test_ratings import rate, served

POLICY = Policy(change_window=timedelta(hours=48), lapse_after=timedelta(days=7))
HANDLER = intake_handlers(POLICY)[RatingSubmitted]


async def submit(uow: FakeFeedbackUnitOfWork, minutes: float = 120, **fields: Any) -> None:
    payload = RatingSubmitted(**{"order_id": "ord-1", "stars": 4, "resident_ref": "res-1",
                                 "channel": Channel.KIOSK, **fields})
    event = envelope(payload, minutes, source="/stations/wanhe-kiosk")
    await uow.run(lambda u: HANDLER(Received(payload, event), u))


async def test_an_intake_rating_rates_the_order_and_a_new_one_changes_it() -> None:
    uow = await served()
    await submit(uow, tags=["on_time"])
    await submit(uow, 130, tags=["on_time"])  # the same again, under a new id: no change
    await submit(uow, 140, stars=2, flagged=True, comment="态度不好")
    [rating] = uow.ratings.stored.values()
    assert [r.judgement.stars for r in rating.revisions] == [4, 2]
    assert [e.type for e in uow.committed][:2] == [
        FeedbackGiven.event_type(), FeedbackChanged.event_type()]
    [follow_up] = uow.follow_ups.stored.values()
    assert follow_up.cause.value == "complaint"


async def test_a_rating_without_resident_is_the_stations_own_record() -> None:
    uow = await served(resident_id=None)
    await submit(uow, resident_ref=None)
    [rating] = uow.ratings.stored.values()
    assert rating.recorded_by.value == "station_operator"
    [given] = uow.committed
    assert given.data["recorder_id"] == "/stations/wanhe-kiosk"  # the frontend that sent it


# "none": a rating given long ago (past the policy's order_wait) for an order never placed.
@pytest.mark.parametrize(("setup", "fields", "reason"), [
    ("none", {}, "not known here"), ("cancelled", {}, "not completed"),
    ("served", {"resident_ref": "res-2"}, "not placed by this resident"),
    ("served", {"tags": ["fast"]}, "unknown tag")])
async def test_a_refused_intake_rating_is_a_contract_error(
        setup: str, fields: dict[str, Any], reason: str) -> None:
    uow = FakeFeedbackUnitOfWork()
    if setup != "none":
        await feed(uow, order_placed(), 0)
    if setup == "served":
        await feed(uow, service_completed(), 60)
    if setup == "cancelled":
        await feed(uow, OrderCancelled(order_id="ord-1", reason=CancelReason.WITHDRAWN,
                                       cancelled_by=Role.RESIDENT), 30)
    with pytest.raises(ContractError, match=reason):
        await submit(uow, **fields)
    assert uow.ratings.stored == {}
    assert uow.parked.stored == {}


async def test_a_rating_that_overtakes_the_completion_waits_for_it() -> None:
    uow = FakeFeedbackUnitOfWork()
    await feed(uow, order_placed(), 0)
    await submit(uow, 50, stars=5)  # the kiosk was quicker than the volunteers' report
    await submit(uow, 50 + 60 * 49, stars=1)  # a change, but outside the window after 50
    with pytest.raises(ContractError, match="not placed by this resident"):
        await submit(uow, 55, stars=5, resident_ref="res-2")  # no need to wait to refuse
    assert len(uow.parked.stored) == 2
    assert uow.ratings.stored == {}
    await feed(uow, service_completed(), 60)
    [rating] = uow.ratings.stored.values()
    assert (rating.resident_id, rating.given_at) == ("res-1", at(50))
    assert [r.judgement.stars for r in rating.revisions] == [5]  # the late change: refused
    assert uow.parked.stored == {}
    [given] = uow.committed
    assert given.type == FeedbackGiven.event_type()


async def submit_now(uow: FakeFeedbackUnitOfWork, order_id: str = "ord-1",
                     ago: timedelta = timedelta(0)) -> Envelope:
    """A kiosk rating of 4 stars given ``ago`` before now."""
    payload = RatingSubmitted(order_id=order_id, stars=4, resident_ref="res-1",
                              channel=Channel.KIOSK)
    event = make_event(payload, source="/stations/wanhe-kiosk", time=utcnow() - ago)
    await uow.run(lambda u: HANDLER(Received(payload, event), u))
    return event


# first: the volunteers' topic was read before the rating and requests' topics; second: the
# completion came between the rating and the placement; last: in the order of events.
@pytest.mark.parametrize("completed", ["first", "second", "last"])
async def test_a_rating_that_overtakes_the_placement_waits_for_it(completed: str) -> None:
    uow = FakeFeedbackUnitOfWork()
    if completed == "first":
        await feed(uow, service_completed(), 60)
    await submit_now(uow)  # after a broker outage the kiosk's rating came first
    assert [uow.parked.placed[k] for k in uow.parked.stored] == [False]
    if completed == "second":
        await feed(uow, service_completed(), 60)
        assert len(uow.parked.stored) == 1  # served, but not yet placed: it still waits
    assert uow.ratings.stored == {}
    await feed(uow, order_placed(), 0)
    if completed == "last":
        assert uow.ratings.stored == {}  # placed, not served: it waits for the completion
        await feed(uow, service_completed(), 60)
    [rating] = uow.ratings.stored.values()
    assert [r.judgement.stars for r in rating.revisions] == [4]
    assert uow.parked.stored == {}


async def test_a_rating_whose_order_stays_unknown_is_dead_lettered_after_the_wait() -> None:
    uow = FakeFeedbackUnitOfWork()
    lost = await submit_now(uow, "ord-none", ago=POLICY.order_wait - timedelta(minutes=1))
    waiting = await submit_now(uow, "ord-1", ago=POLICY.order_wait - timedelta(minutes=1))
    fresh = await submit_now(uow, "ord-2")
    await feed(uow, order_placed(), 0)  # ord-1 is placed now, not yet served
    letters: list[tuple[str, str]] = []

    async def dead_letter(envelope: Envelope, reason: str) -> None:
        letters.append((envelope.id, reason))

    later = utcnow() + timedelta(minutes=2)
    assert await expire_unknown(cast(Any, lambda: uow), later, POLICY, dead_letter) == 1
    assert [(i, "not known here" in r) for i, r in letters] == [(lost.id, True)]
    assert sorted(e.id for e in uow.parked.stored.values()) == sorted([waiting.id, fresh.id])
    assert uow.parked.placed[f"{waiting.source} {waiting.id}"] is True  # now waits to be served
    assert await expire_unknown(cast(Any, lambda: uow), later, POLICY, dead_letter) == 0


async def lapse(uow: FakeFeedbackUnitOfWork, minutes: float) -> bool:
    return await uow.run(lambda u: lapse_order(u, "ord-1", at(minutes), POLICY))


async def test_an_order_unrated_for_the_policys_days_lapses_once() -> None:
    uow = await served()  # completed at minute 60
    assert await lapse(uow, 60 + 60 * 24 * 7 - 1) is False
    assert await lapse(uow, 60 + 60 * 24 * 7) is True
    assert await lapse(uow, 60 + 60 * 24 * 8) is False
    [lapsed] = uow.committed
    assert lapsed.type == RatingLapsed.event_type()
    assert lapsed.data["rate_by"] == at(60 + 60 * 24 * 7).isoformat().replace("+00:00", "Z")
    assert lapsed.data["volunteer_ids"] == ["vol-1"]
    assert uow.outcomes.stored["ord-1:1"].stars is None
    with pytest.raises(RatingWindowClosed):
        await rate(uow, Judgement(stars=5), minutes=60 + 60 * 24 * 9)


async def test_a_rated_order_never_lapses() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=5))
    assert await lapse(uow, 60 * 24 * 30) is False


async def test_a_reopened_order_is_served_and_rated_again() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=1, comment="没解决"))
    with pytest.raises(AlreadyRated):
        await rate(uow, Judgement(stars=4))
    reopened = OrderReopened(order_id="ord-1", follow_up_id="fu-1", reason="再派一次",
                             reopen_count=1)
    await feed(uow, reopened, 200)
    await feed(uow, reopened, 201)  # repeated under a new id: still round 2
    await feed(uow, service_completed(volunteers=("vol-7",)), 300)
    second = await rate(uow, Judgement(stars=4), minutes=400)
    assert (second.round, second.volunteer_ids) == (2, ["vol-7"])
    assert sorted(uow.outcomes.stored) == ["ord-1:1", "ord-1:2"]


async def test_a_repeated_completion_keeps_the_first() -> None:
    uow = await served()
    await feed(uow, service_completed(volunteers=("vol-9",)), 90)
    order = uow.orders.stored["ord-1"]
    assert order.service is not None
    assert (order.service.completed_at, order.service.volunteer_ids) == (at(60), ["vol-1"])


async def test_an_order_closed_unserved_is_neither_rated_nor_lapsed() -> None:
    from civiloop_contracts.events.requests import CloseOutcome, OrderClosed
    from civiloop_feedback.domain.errors import NotCompleted
    uow = await served()
    await feed(uow, OrderClosed(order_id="ord-1", outcome=CloseOutcome.RATED, stars=5), 70)
    assert uow.orders.stored["ord-1"].cancelled is False  # its own rating said so first
    await feed(uow, OrderClosed(order_id="ord-1", outcome=CloseOutcome.DUPLICATE), 80)
    with pytest.raises(NotCompleted):
        await rate(uow, Judgement(stars=5))
    assert await lapse(uow, 60 * 24 * 30) is False


async def test_a_cancelled_order_drops_its_parked_ratings() -> None:
    uow = FakeFeedbackUnitOfWork()
    await feed(uow, order_placed(), 0)
    await submit(uow, 50)
    assert uow.orders.stored["ord-1"].parked == 1
    await feed(uow, OrderCancelled(order_id="ord-1", reason=CancelReason.WITHDRAWN,
                                   cancelled_by=Role.RESIDENT), 55)
    assert uow.parked.stored == {}
    assert uow.ratings.stored == {}
