"""Order status from the loop on real Kafka and MongoDB: an order fed downstream events closes."""

from __future__ import annotations

import functools
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from civiloop_contracts.codec import decode, encode
from civiloop_contracts.events.dispatch import AssignMode, OrderDispatched
from civiloop_contracts.events.feedback import FeedbackGiven
from civiloop_contracts.events.requests import OrderClosed, OrderPlaced, OrderStepRecorded
from civiloop_contracts.events.service import (
    OrderAccepted,
    ServiceCheckedIn,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import DISPATCH, FEEDBACK, VOLUNTEERS, dlq_of
from civiloop_contracts.values import Role, UnitLevel
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.messages import Subscription
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import Stale
from civiloop_requests.adapters.repositories import MongoOrders, ensure_order_indexes
from civiloop_requests.adapters.unit_of_work import RequestsUnitOfWork
from civiloop_requests.app.handlers import LOOP_HANDLERS
from civiloop_requests.domain.menu import DEFAULT_MENU
from civiloop_requests.domain.order import Order, place_order
from civiloop_requests.domain.status import Status, Step
from tests.services.requests.builders import RESIDENT, at, by, new_order, unit
from tests.support import consuming, eventually, started_producer, throwaway_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    """The requests service's database of its own for this test, dropped afterwards."""
    async with throwaway_database(infra.mongo_url, "requests") as db:
        await ensure_order_indexes(db)
        yield db


@pytest.fixture
async def producer(infra: Any) -> AsyncIterator[EventProducer]:
    """A started idempotent producer, standing in for dispatch, volunteers and feedback."""
    await ensure_topics(infra.kafka_bootstrap, 3,
                        names=[n for t in (DISPATCH, VOLUNTEERS, FEEDBACK) for n in (t, dlq_of(t))])
    async with started_producer(infra.kafka_bootstrap, "requests-tests") as p:
        yield p


async def _place(database: ServiceDatabase, order_id: str) -> None:
    new = new_order()
    order, events = place_order(order_id, new, DEFAULT_MENU.get(new.category), at(0), RESIDENT)

    async def work(uow: RequestsUnitOfWork) -> None:
        await uow.orders.add(order)
        for payload in events:
            uow.publish(make_event(payload, source="civiloop/requests"))

    await RequestsUnitOfWork(database).run(work)


def _record(payload: Payload, minutes: int) -> Outgoing:
    record = encode(make_event(payload, source="/test/loop", time=at(minutes)))
    return Outgoing(type(payload).topic, record.key, record.value, record.headers)


async def _stored(database: ServiceDatabase, order_id: str) -> Order | None:
    async def work(uow: RequestsUnitOfWork) -> Order | None:
        return await uow.orders.get(order_id)

    return await RequestsUnitOfWork(database).run(work)


async def test_an_order_fed_the_loop_closes_rated_and_says_so(
        database: ServiceDatabase, producer: EventProducer, infra: Any) -> None:
    order_id = f"ord-{uuid.uuid4().hex[:10]}"
    await _place(database, order_id)
    dispatched = OrderDispatched(
        order_id=order_id, assignment_id="as-1", mode=AssignMode.DIRECTIVE,
        level=UnitLevel.STATION, dispatching_unit=unit(), volunteer_ids=["vol-1"],
        accept_deadline=at(120), score=0.9, attempt=1, dispatched_by=Role.DISPATCHER,
        dispatcher_id="disp-7")
    accepted = _record(OrderAccepted(order_id=order_id, assignment_id="as-1",
                                     accepted_by="vol-1", volunteer_ids=["vol-1"]), 2)
    # Each service reacts to the step before (the topics are not ordered with each other),
    # and the same OrderAccepted record arrives twice.
    steps = [([_record(dispatched, 1)], Status.DISPATCHED), ([accepted, accepted], Status.ACCEPTED),
             ([_record(ServiceCheckedIn(order_id=order_id, volunteer_id="vol-1"), 3)],
              Status.IN_SERVICE),
             ([_record(ServiceCompleted(order_id=order_id, people_served=1, completed_by="vol-1",
                                        hours=[VolunteerHours(volunteer_id="vol-1", hours=1.5)]),
                       4)], Status.COMPLETED),
             ([_record(FeedbackGiven(order_id=order_id, feedback_id="fb-1", stars=5), 5)],
              Status.CLOSED)]
    sub = Subscription(f"requests-loop-{uuid.uuid4().hex[:8]}", [DISPATCH, VOLUNTEERS, FEEDBACK],
                       LOOP_HANDLERS)
    async with consuming(sub, bootstrap=infra.kafka_bootstrap, producer=producer,
                         uow_factory=lambda: RequestsUnitOfWork(database)):
        for records, status in steps:
            await producer.send_all(records)
            await eventually(functools.partial(_has_status, database, order_id, status))
    order = await _stored(database, order_id)
    assert order is not None
    assert order.status is Status.CLOSED
    assert order.stars == 5
    assert [e.step for e in order.timeline] == [
        Step.PLACE, Step.DISPATCH, Step.ACCEPT, Step.START_SERVICE, Step.COMPLETE, Step.RATE,
        Step.CLOSE]
    assert [e.at for e in order.timeline[1:]] == [at(1), at(2), at(3), at(4), at(5), at(5)]
    # Who acted, as the events said; the resident ("res-1") only masked.
    assert [(e.actor, e.actor_id) for e in order.timeline] == [
        (Role.RESIDENT, "r***1"), (Role.DISPATCHER, "disp-7"), (Role.VOLUNTEER, "vol-1"),
        (Role.VOLUNTEER, "vol-1"), (Role.VOLUNTEER, "vol-1"), (Role.RESIDENT, "r***1"),
        (Role.SERVICE, "requests")]
    stored = await database.db["orders"].find_one({"_id": order_id})
    assert stored is not None
    assert "res-1" not in str(stored["timeline"])
    published = [decode(row["value"]) async for row in database.outbox.find(
        {"key": order_id.encode()})]
    assert sorted(e.type for e in published if e.type != OrderStepRecorded.event_type()) == sorted(
        [OrderPlaced.event_type(), OrderClosed.event_type()])
    # Each line the loop added is announced once (the repeated accept was not a line),
    # at the time the timeline shows.
    lines = sorted((e.data["seq"], e.data["step"], e.time) for e in published
                   if e.type == OrderStepRecorded.event_type())
    assert lines == [(n, e.step.value, e.at) for n, e in enumerate(order.timeline) if n > 0]
    [closed] = [e for e in published if e.type == OrderClosed.event_type()]
    assert closed.data["outcome"] == "rated"
    assert closed.data["stars"] == 5


async def _has_status(database: ServiceDatabase, order_id: str, status: Status) -> bool:
    return await database.db["orders"].count_documents(
        {"_id": order_id, "status": status.value}) == 1


async def test_a_save_over_a_newer_version_is_refused(database: ServiceDatabase) -> None:
    order_id = f"ord-{uuid.uuid4().hex[:10]}"
    await _place(database, order_id)
    collection = database.db["orders"]
    async with database.client.start_session() as session:
        first, second = MongoOrders(collection, session), MongoOrders(collection, session)
        mine, theirs = await first.get(order_id), await second.get(order_id)
        assert mine is not None
        assert theirs is not None
        theirs.apply(Step.ESCALATE, at(1), by(Role.SERVICE))
        await second.save(theirs)
        mine.apply(Step.DISPATCH, at(2), by(Role.SERVICE))
        with pytest.raises(Stale):
            await first.save(mine)
    stored = await _stored(database, order_id)
    assert stored is not None
    assert stored.status is Status.ESCALATED
    assert (await collection.find_one({"_id": order_id}) or {})["version"] == 2
