"""Delivery on a real broker and a real MongoDB-protocol server: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from civiloop_contracts.codec import encode
from civiloop_contracts.payload import make_event
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.relay import OutboxRelay
from civiloop_platform.store.database import ServiceDatabase
from tests.platform.integration.probe_service import ProbeUnitOfWork, Running, applied_times
from tests.platform.probe import ProbeHappened
from tests.support import eventually, read_all

pytestmark = pytest.mark.integration


def _raw(topic: str, n: int, probe: str = "p-1") -> tuple[Outgoing, str]:
    envelope = make_event(ProbeHappened(probe_id=probe, n=n), source="/test/station")
    record = encode(envelope)
    return Outgoing(topic, record.key, record.value, record.headers), envelope.id


async def _stage(database: ServiceDatabase, probe: str) -> str:
    """Commit a state change and its event together, as a service's use case would."""
    envelope = make_event(ProbeHappened(probe_id=probe, n=1), source="/test/service")

    async def work(uow: Any) -> None:
        await uow.database.db["probes"].insert_one({"_id": probe}, session=uow.session)
        uow.publish(envelope)

    await ProbeUnitOfWork(database).run(work)
    return envelope.id


class RelayKilledBeforeMark(OutboxRelay):
    """A relay that dies after Kafka acknowledged the batch and before marking it sent."""

    async def _mark_sent(self, ids: list[str]) -> None:
        raise RuntimeError("killed between send and mark")


async def test_an_outbox_event_reaches_a_consumer(database: ServiceDatabase, infra: Any,
                                                  producer: EventProducer, probe_topic: str) -> None:
    event_id = await _stage(database, "probe-outbox")
    relay = OutboxRelay(database, producer, service="probe", owner="replica-1")
    assert await relay.relay_once() >= 1
    running = Running(database, producer, infra.kafka_bootstrap, probe_topic, "g-outbox")
    try:
        await eventually(lambda: _has(database, event_id))
    finally:
        await running.close()
    assert await database.outbox.count_documents({"_id": event_id, "pending": True}) == 0


async def test_the_same_event_delivered_twice_is_applied_once(
        database: ServiceDatabase, infra: Any, producer: EventProducer, topic: str) -> None:
    record, event_id = _raw(topic, 3)
    await producer.send_all([record, record])
    second, second_id = _raw(topic, 4)  # proves the consumer got past both copies
    await producer.send_all([second])
    running = Running(database, producer, infra.kafka_bootstrap, topic, "g-twice")
    try:
        await eventually(lambda: _has(database, second_id))
    finally:
        await running.close()
    assert await applied_times(database) == {event_id: 1, second_id: 1}


async def test_a_relay_killed_after_send_resends_and_nothing_is_applied_twice(
        database: ServiceDatabase, infra: Any, producer: EventProducer, probe_topic: str) -> None:
    event_id = await _stage(database, "probe-crash")
    with pytest.raises(RuntimeError, match="killed"):
        await RelayKilledBeforeMark(database, producer, service="probe", owner="r1").relay_once()
    assert await database.outbox.count_documents({"_id": event_id, "pending": True}) == 1
    assert await OutboxRelay(database, producer, service="probe", owner="r1").relay_once() >= 1
    copies = [r for r in await read_all(infra.kafka_bootstrap, probe_topic, expect=2)
              if event_id.encode() in r.value]
    assert len(copies) == 2  # Kafka really holds the event twice
    running = Running(database, producer, infra.kafka_bootstrap, probe_topic, "g-crash")
    try:
        await eventually(lambda: _has(database, event_id))
    finally:
        await running.close()
    assert (await applied_times(database))[event_id] == 1


async def test_a_malformed_message_lands_in_the_dlq_and_the_next_is_processed(
        database: ServiceDatabase, infra: Any, producer: EventProducer, topic: str) -> None:
    garbage = Outgoing(topic, b"p-1", b"{not json", [])
    invalid, _ = _raw(topic, 1)
    invalid.value = invalid.value.replace(b'"n":1', b'"n":-3')
    good, good_id = _raw(topic, 2)
    await producer.send_all([garbage, invalid, good])
    running = Running(database, producer, infra.kafka_bootstrap, topic, "g-dlq")
    try:
        await eventually(lambda: _has(database, good_id))
    finally:
        await running.close()
    dead = await read_all(infra.kafka_bootstrap, topic + ".dlq", expect=2)
    reasons = sorted(dict(r.headers)[REASON_HEADER].decode() for r in dead)
    assert len(reasons) == 2
    assert reasons[0].startswith("contract: ")
    assert "data.n" in reasons[0] + reasons[1]
    assert {r.value for r in dead} == {garbage.value, invalid.value}
    assert list((await applied_times(database)).values()) == [1]


RESTART_RECORDS = 3_000


@pytest.mark.parametrize("stop", ["close", "crash"])
async def test_a_consumer_restarted_mid_stream_resumes_without_loss(
        database: ServiceDatabase, infra: Any, producer: EventProducer, topic: str,
        stop: str) -> None:
    group = f"g-restart-{stop}-{topic}"
    # Thousands, not hundreds: a poll's records are applied in one transaction (up to 100),
    # and 300 were once all applied between the check below and the stop.
    records = [_raw(topic, i % 1000, probe=f"p-{i % 7}") for i in range(RESTART_RECORDS)]
    await producer.send_all([r for r, _ in records])
    first = Running(database, producer, infra.kafka_bootstrap, topic, group)
    await eventually(lambda: _count_at_least(database, 60))
    await (first.close() if stop == "close" else first.crash())
    assert len(await applied_times(database)) < RESTART_RECORDS  # it stopped mid-stream
    second = Running(database, producer, infra.kafka_bootstrap, topic, group)
    try:
        await eventually(lambda: _count_at_least(database, RESTART_RECORDS))
    finally:
        await second.close()
    times = await applied_times(database)
    assert sorted(times) == sorted(event_id for _, event_id in records)
    assert set(times.values()) == {1}


async def _has(database: ServiceDatabase, event_id: str) -> bool:
    return await database.db["applied"].count_documents({"_id": event_id}) == 1


async def _count_at_least(database: ServiceDatabase, n: int) -> bool:
    return await database.db["applied"].count_documents({}) >= n


class CountingRelay(OutboxRelay):
    """A relay that counts its rounds that sent rows, and its marking writes."""

    rounds = marks = 0

    async def _publish(self, rows: list[dict[str, Any]]) -> int:
        self.rounds += bool(rows)
        return await super()._publish(rows)

    async def _mark_sent(self, ids: list[str]) -> None:
        self.marks += 1
        await super()._mark_sent(ids)


async def test_a_running_relay_sends_each_row_once_and_marks_every_row_sent(
        database: ServiceDatabase, infra: Any, producer: EventProducer, probe_topic: str) -> None:
    relay = CountingRelay(database, producer, service="probe", owner="replica-1")
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        ids = [await _stage(database, f"probe-marks-{n}") for n in range(3)]
        await eventually(lambda: _none_pending(database, ids))  # marked only once sent
    finally:
        stop.set()
        await running
    # Rows sent and not yet marked are left out of the next rounds' reads: each sent once.
    records = await read_all(infra.kafka_bootstrap, probe_topic, expect=10**6, within_s=5)
    assert all(sum(i.encode() in r.value for r in records) == 1 for i in ids)
    assert 1 <= relay.marks <= relay.rounds  # rounds within MARK_AFTER_S share one mark


async def _none_pending(database: ServiceDatabase, ids: list[str]) -> bool:
    return await database.outbox.count_documents({"_id": {"$in": ids}, "pending": True}) == 0
