"""Intake ratings, the auto-close and satisfaction figures on real Kafka and MongoDB."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.events.feedback import FeedbackGiven, RatingLapsed
from civiloop_contracts.events.intake import Channel, RatingSubmitted
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import FEEDBACK, STATION_INTAKE
from civiloop_feedback.adapters.unit_of_work import FeedbackUnitOfWork, ensure_indexes
from civiloop_feedback.app.intake import intake_handlers
from civiloop_feedback.app.lapse import sweep
from civiloop_feedback.app.loop import loop_handlers
from civiloop_feedback.app.policy import Policy
from civiloop_platform.messages import Received
from civiloop_platform.metrics import EVENTS_DUPLICATE
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import Stale
from tests.services.feedback.builders import order_placed, service_completed
from tests.services.feedback.integration.conftest import Feedback, dead_letters, on_topic, token
from tests.support import eventually, throwaway_database

pytestmark = pytest.mark.integration

RESIDENT = token("resident", "res-1")


def new_order_id() -> str:
    return f"ord-{uuid.uuid4().hex[:12]}"


def submitted(order_id: str, stars: int = 4, *, source: str = "/stations/wanhe-kiosk",
              event_id: str | None = None, time: datetime | None = None) -> Envelope:
    payload = RatingSubmitted(order_id=order_id, stars=stars, resident_ref="res-1",
                              channel=Channel.KIOSK, tags=["on_time"])
    return make_event(payload, source=source, event_id=event_id, time=time)


def duplicates() -> float:
    return float(EVENTS_DUPLICATE.labels("feedback", STATION_INTAKE)._value.get())


async def test_an_intake_rating_is_applied_once_per_source_and_id(feedback: Feedback) -> None:
    first, second = new_order_id(), new_order_id()
    for order_id in (first, second):
        await feedback.send(order_placed(order_id))
        await feedback.send(service_completed(order_id))
        await feedback.wait_for_order(order_id)
    before = duplicates()
    rating = submitted(first, event_id="kiosk-evt-1")
    await feedback.send_envelope(rating)
    await feedback.send_envelope(rating)  # the kiosk resends: same source, same id
    # Another frontend happens to pick the same id: a different event, applied too.
    await feedback.send_envelope(submitted(second, 2, source="/stations/other-app",
                                           event_id="kiosk-evt-1"))
    await eventually(lambda: _has_duplicates(before))
    await on_topic(feedback.bootstrap, FEEDBACK, second, [FeedbackGiven.event_type()])
    assert [e.type for e in await feedback.outbox(first)] == [FeedbackGiven.event_type()]
    shown = (await feedback.http.get(f"/api/v1/feedback/orders/{first}/rating",
                                     headers=RESIDENT)).json()
    assert [r["judgement"]["stars"] for r in shown["revisions"]] == [4]


async def _has_duplicates(before: float) -> bool:
    return duplicates() > before


async def test_an_intake_rating_for_an_order_long_unknown_is_dead_lettered_with_the_reason(
        feedback: Feedback) -> None:
    order_id = new_order_id()
    await feedback.send_envelope(submitted(order_id, time=utcnow() - timedelta(minutes=1)))
    [headers] = await dead_letters(feedback.bootstrap, STATION_INTAKE, order_id)
    assert "not known here" in headers["dlq-reason"]
    assert headers["dlq-reason"].startswith("rejected:")


async def test_an_intake_rating_waits_for_its_order_then_is_dead_lettered(
        feedback: Feedback) -> None:
    parked = feedback.database.db["parked_ratings"]
    placed_later, never = new_order_id(), new_order_id()
    await feedback.send_envelope(submitted(placed_later, 5))  # it overtook the order
    await feedback.send_envelope(submitted(never, 2, time=utcnow() - timedelta(seconds=20)))
    await eventually(lambda: _exists(parked, {"order_id": placed_later, "placed": False}))
    await feedback.send(order_placed(placed_later))
    await feedback.send(service_completed(placed_later))
    [given] = await on_topic(feedback.bootstrap, FEEDBACK, placed_later,
                             [FeedbackGiven.event_type()])
    assert given.data["stars"] == 5
    # The other waited the 30 s the fixture allows for its placement, and was dead-lettered.
    [headers] = await dead_letters(feedback.bootstrap, STATION_INTAKE, never)
    assert "not known here" in headers["dlq-reason"]
    assert "waited" in headers["dlq-reason"]
    assert headers["dlq-consumer-group"] == "feedback-intake"
    await eventually(lambda: _none(parked, {"order_id": {"$in": [placed_later, never]}}))


async def test_an_intake_rating_before_the_completion_waits_for_it(feedback: Feedback) -> None:
    order_id = new_order_id()
    await feedback.send(order_placed(order_id))
    await feedback.wait_for_order(order_id, served=False)
    await feedback.send_envelope(submitted(order_id, 5))
    parked = feedback.database.db["parked_ratings"]
    await eventually(lambda: _exists(parked, {"order_id": order_id}))
    await feedback.send(service_completed(order_id))
    [given] = await on_topic(feedback.bootstrap, FEEDBACK, order_id,
                             [FeedbackGiven.event_type()])
    assert given.data["stars"] == 5
    assert await parked.count_documents({"order_id": order_id}) == 0


async def _none(collection: Any, query: dict[str, Any]) -> bool:
    return not await _exists(collection, query)


async def _exists(collection: Any, query: dict[str, Any]) -> bool:
    found: int = await collection.count_documents(query)
    return found > 0


async def test_an_order_not_rated_in_time_is_closed_unrated(feedback: Feedback) -> None:
    order_id = new_order_id()
    await feedback.send(order_placed(order_id))
    await feedback.send(service_completed(order_id), time=utcnow() - timedelta(days=8))
    events = await on_topic(feedback.bootstrap, FEEDBACK, order_id, [RatingLapsed.event_type()])
    [lapsed] = events
    assert lapsed.data["unit"]["station"] == "wanhe-sunshine"
    assert lapsed.data["volunteer_ids"] == ["vol-1"]
    late = await feedback.http.post(f"/api/v1/feedback/orders/{order_id}/rating",
                                    headers=RESIDENT, json={"stars": 5})
    assert late.status_code == 409
    assert "closed unrated" in late.json()["detail"]
    assert [e.type for e in await feedback.outbox(order_id)] == [RatingLapsed.event_type()]


async def test_satisfaction_figures_for_a_known_set_of_ratings(feedback: Feedback) -> None:
    station = f"st-{uuid.uuid4().hex[:8]}"
    rated = [(new_order_id(), stars) for stars in (5, 4, 2)]
    unrated = new_order_id()
    for order_id, _ in rated:
        await feedback.send(order_placed(order_id, station=station))
        await feedback.send(service_completed(order_id, volunteers=("vol-s1", "vol-s2")))
    await feedback.send(order_placed(unrated, station=station))
    await feedback.send(service_completed(unrated, volunteers=("vol-s1",)),
                        time=utcnow() - timedelta(days=8))
    for order_id, stars in rated:
        await feedback.wait_for_order(order_id)
        reply = await feedback.http.post(f"/api/v1/feedback/orders/{order_id}/rating",
                                         headers=RESIDENT, json={"stars": stars})
        assert reply.status_code == 201, reply.text
    await on_topic(feedback.bootstrap, FEEDBACK, unrated, [RatingLapsed.event_type()])
    operator = token("station_operator", "op-1", station=station)
    [row] = (await feedback.http.get("/api/v1/feedback/satisfaction?by=station",
                                     headers=operator)).json()
    assert row == {"key": station, "period": "all", "rated": 3, "unrated": 1, "average": 3.67,
                   "share_satisfied": 0.6667, "share_unrated": 0.25}
    mine = (await feedback.http.get("/api/v1/feedback/satisfaction?by=volunteer",
                                    headers=token("volunteer", "vol-s2"))).json()
    assert [(r["key"], r["rated"], r["unrated"], r["average"]) for r in mine] == [
        ("vol-s2", 3, 0, 3.67)]
    resident = await feedback.http.get("/api/v1/feedback/satisfaction", headers=RESIDENT)
    assert resident.status_code == 403


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    async with throwaway_database(infra.mongo_url, "feedback") as db:
        await ensure_indexes(db)
        yield db


async def _apply(database: ServiceDatabase, payload: Payload, **fields: Any) -> None:
    event = make_event(payload, source="/test", **fields)
    handler = loop_handlers(Policy())[type(payload)]
    await _retrying(database, lambda uow: handler(Received(payload, event), uow))


async def test_two_replicas_sweeping_at_once_lapse_each_order_once(
        database: ServiceDatabase) -> None:
    orders = [new_order_id() for _ in range(6)]
    for order_id in orders:
        await _apply(database, order_placed(order_id))
        await _apply(database, service_completed(order_id), time=utcnow() - timedelta(days=8))
    policy = Policy()
    now = utcnow()

    def new_uow() -> FeedbackUnitOfWork:
        return FeedbackUnitOfWork(database)

    counts = await asyncio.gather(*(sweep(new_uow, now, policy) for _ in range(3)))
    assert sum(counts) == len(orders)
    published = await database.outbox.count_documents({})
    assert published == len(orders)
    assert await database.db["orders"].count_documents({"lapsed": True}) == len(orders)


async def test_a_rating_racing_the_completion_is_never_left_parked(
        database: ServiceDatabase) -> None:
    orders = [new_order_id() for _ in range(5)]
    policy = Policy()
    intake = intake_handlers(policy)[RatingSubmitted]
    for order_id in orders:
        await _apply(database, order_placed(order_id))

    async def rate(order_id: str) -> None:
        event = submitted(order_id, 5)
        payload = RatingSubmitted.model_validate(event.data)
        await _retrying(database, lambda uow: intake(Received(payload, event), uow))

    async def complete(order_id: str) -> None:
        await _apply(database, service_completed(order_id))

    await asyncio.gather(*(step(o) for o in orders for step in (rate, complete)))
    assert await database.db["ratings"].count_documents({"order_id": {"$in": orders}}) == 5
    assert await database.db["parked_ratings"].count_documents({}) == 0


async def _retrying(database: ServiceDatabase, work: Any) -> None:
    """Run ``work`` as the platform does: a lost optimistic race is retried in place."""
    for attempt in range(4):
        try:
            await FeedbackUnitOfWork(database).run(work)
            return
        except Stale:
            if attempt == 3:
                raise
            await asyncio.sleep(0.05)
