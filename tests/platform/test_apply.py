"""The consumer path on fakes: apply once, ignore, dead-letter with a reason, retry, outages."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from aiokafka.errors import KafkaTimeoutError
from aiokafka.structs import ConsumerRecord
from pymongo.errors import AutoReconnect, ExecutionTimeout

from civiloop_contracts.codec import encode
from civiloop_contracts.payload import ContractError, make_event
from civiloop_platform.apply import Applier, Outcome
from civiloop_platform.errors import Outage
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_platform.messages import Received, Subscription
from civiloop_platform.testing import FakeProducer, FakeUnitOfWork
from tests.platform.probe import PROBE_TOPIC, ProbeHappened, ProbeNoted


def _record(value: bytes, headers: list[tuple[str, bytes]] | None = None,
            offset: int = 7) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(topic=PROBE_TOPIC, partition=3, offset=offset, timestamp=0,
                          timestamp_type=0, key=b"p-1", value=value, checksum=None,
                          serialized_key_size=3, serialized_value_size=len(value),
                          headers=tuple(headers or ()))


def _probe_record(n: int = 1) -> ConsumerRecord[bytes, bytes]:
    record = encode(make_event(ProbeHappened(probe_id="p-1", n=n), source="/test"))
    return _record(record.value, record.headers)


class World:
    """A subscription over fakes, counting what the handler saw."""

    def __init__(self, *, strict: bool = False, failures: int = 0,
                 refuse_over: int = 1000, owns_dead_letters: bool = True) -> None:
        self.seen: list[int] = []
        self.failures = failures
        self.applied: set[str] = set()
        self.producer = FakeProducer()

        async def on_probe(event: Received[ProbeHappened], uow: Any) -> None:
            if self.failures > 0:
                self.failures -= 1
                raise ValueError("probe store refused")
            if event.payload.n > refuse_over:
                self.seen.append(-1)  # counts attempts: a refusal must not be retried
                raise ContractError(f"n: {event.payload.n} is over {refuse_over}")
            self.seen.append(event.payload.n)

        sub = Subscription("test-group", [PROBE_TOPIC], {ProbeHappened: on_probe}, strict,
                           owns_dead_letters)
        self.applier = Applier(sub, service="test", producer=cast(Any, self.producer),
                               uow_factory=lambda: cast(Any, FakeUnitOfWork(self.applied)))

    def reasons(self) -> list[str]:
        return [dict(o.headers)[REASON_HEADER].decode() for o in self.producer.sent]


async def test_a_valid_event_is_applied_once_even_when_delivered_twice() -> None:
    world, record = World(), _probe_record(5)
    assert await world.applier.apply(record) is Outcome.APPLIED
    assert await world.applier.apply(record) is Outcome.DUPLICATE
    assert world.seen == [5]


async def test_garbage_goes_to_the_dlq_with_the_original_bytes_and_where_it_came_from() -> None:
    world = World()
    assert await world.applier.apply(_record(b"\x00not json")) is Outcome.DEAD_LETTERED
    [dead] = world.producer.sent
    headers = dict(dead.headers)
    assert (dead.topic, dead.value) == (PROBE_TOPIC + ".dlq", b"\x00not json")
    assert (headers["dlq-original-offset"], headers["dlq-original-partition"]) == (b"7", b"3")
    assert world.reasons()[0].startswith("contract: ")


async def test_an_invalid_payload_is_dead_lettered_with_the_field_named() -> None:
    world, good = World(), _probe_record()
    bad = good.value.replace(b'"n":1', b'"n":5000')
    assert await world.applier.apply(_record(bad, list(good.headers))) is Outcome.DEAD_LETTERED
    assert "data.n" in world.reasons()[0]
    assert world.seen == []


async def test_a_type_without_handler_is_ignored_unless_the_topic_is_strict() -> None:
    other = _probe_record().value.replace(b"civiloop.ProbeHappened", b"civiloop.SomethingNew")
    assert await World().applier.apply(_record(other)) is Outcome.IGNORED
    strict = World(strict=True)
    assert await strict.applier.apply(_record(other)) is Outcome.DEAD_LETTERED
    assert "civiloop.SomethingNew" in strict.reasons()[0]


async def test_a_group_that_does_not_own_the_dead_letters_skips_what_nobody_can_read() -> None:
    world = World(strict=True, owns_dead_letters=False, refuse_over=3)
    unknown = _probe_record().value.replace(b"civiloop.ProbeHappened", b"civiloop.Unheard")
    assert await world.applier.apply(_record(b"\x00not json")) is Outcome.IGNORED
    assert await world.applier.apply(_record(unknown)) is Outcome.IGNORED
    assert world.producer.sent == []
    # What its own handler refuses is still its own to dead-letter.
    assert await world.applier.apply(_probe_record(9)) is Outcome.DEAD_LETTERED
    assert world.reasons() == ["rejected: n: 9 is over 3"]


async def test_a_strict_group_ignores_a_contract_type_of_its_topic_that_others_handle() -> None:
    record = encode(make_event(ProbeNoted(probe_id="p-1"), source="/test"))
    strict = World(strict=True)
    assert await strict.applier.apply(_record(record.value, record.headers)) is Outcome.IGNORED
    assert strict.producer.sent == []


async def test_a_handler_that_fails_once_is_retried_and_applied_once() -> None:
    world = World(failures=1)
    assert await world.applier.apply(_probe_record(2)) is Outcome.APPLIED
    assert (world.seen, world.producer.sent) == ([2], [])


async def test_a_handler_that_keeps_failing_is_dead_lettered_with_its_error() -> None:
    world = World(failures=100)
    assert await world.applier.apply(_probe_record()) is Outcome.DEAD_LETTERED
    assert "handler: ValueError: probe store refused (after 4 attempts)" in world.reasons()[0]


async def test_an_outage_is_raised_for_a_later_retry_not_dead_lettered() -> None:
    world = World()

    async def mongo_away(event: Received[ProbeHappened], uow: Any) -> None:
        raise AutoReconnect("connection refused")

    world.applier.sub.handlers[ProbeHappened] = mongo_away  # type: ignore[index]
    with pytest.raises(Outage):
        await world.applier.apply(_probe_record())
    assert world.producer.sent == []


async def test_a_mongodb_timeout_is_an_outage_not_a_bad_event() -> None:
    world = World()

    async def primary_too_slow(event: Received[ProbeHappened], uow: Any) -> None:
        raise ExecutionTimeout("operation exceeded time limit", code=50)

    world.applier.sub.handlers[ProbeHappened] = primary_too_slow  # type: ignore[index]
    with pytest.raises(Outage):
        await world.applier.apply(_probe_record())
    assert world.producer.sent == []


async def test_a_record_that_cannot_be_dead_lettered_is_retried_later() -> None:
    world = World()
    world.producer.fail_with = KafkaTimeoutError()
    with pytest.raises(Outage):
        await world.applier.apply(_record(b"garbage"))


async def test_a_cancelled_handler_is_not_retried_so_the_consumer_can_stop() -> None:
    world, started = World(), asyncio.Event()

    async def slow(event: Received[ProbeHappened], uow: Any) -> None:
        started.set()
        await asyncio.sleep(3600)

    world.applier.sub.handlers[ProbeHappened] = slow  # type: ignore[index]
    task = asyncio.create_task(world.applier.apply(_probe_record()))
    await started.wait()
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=5)
    assert done, "apply kept running after cancellation"
    assert task.cancelled()


async def test_the_same_id_from_two_sources_is_two_events_but_each_is_applied_once() -> None:
    world = World()
    first = encode(make_event(ProbeHappened(probe_id="p-1", n=1), source="/station/a"))
    same_id_elsewhere = first.value.replace(b'"/station/a"', b'"/station/b"')
    assert await world.applier.apply(_record(first.value, first.headers)) is Outcome.APPLIED
    assert await world.applier.apply(_record(same_id_elsewhere, first.headers)) is Outcome.APPLIED
    assert await world.applier.apply(_record(first.value, first.headers)) is Outcome.DUPLICATE
    assert world.seen == [1, 1]


async def test_an_event_the_handler_refuses_is_dead_lettered_at_once_with_its_reason() -> None:
    world = World(refuse_over=3)
    assert await world.applier.apply(_probe_record(9)) is Outcome.DEAD_LETTERED
    assert world.seen == [-1]
    assert world.reasons() == ["rejected: n: 9 is over 3"]


class Counted(FakeUnitOfWork):
    """A fake unit of work that counts the transactions it ran (one per run or run_all)."""

    transactions = 0

    async def run(self, work: Any, *, dedup_key: str | None = None) -> Any:
        Counted.transactions += 1
        return await super().run(work, dedup_key=dedup_key)

    async def run_all(self, works: Any, *, dedup_keys: Any) -> None:
        Counted.transactions += 1
        await super().run_all(works, dedup_keys=dedup_keys)


def _counted(world: World) -> None:
    Counted.transactions = 0
    world.applier.uow_factory = lambda: cast(Any, Counted(world.applied))


async def test_the_records_of_a_poll_are_applied_in_order_in_one_transaction() -> None:
    world = World()
    _counted(world)
    assert await world.applier.apply_all([_probe_record(n) for n in (1, 2, 3)]) == 3
    assert (world.seen, Counted.transactions) == ([1, 2, 3], 1)


async def test_a_batch_whose_handler_fails_is_applied_one_by_one_each_once() -> None:
    world = World(failures=1)
    _counted(world)
    assert await world.applier.apply_all([_probe_record(n) for n in (1, 2, 3)]) == 3
    # The failed batch wrote nothing; each record then ran in its own transaction.
    assert (world.seen, world.producer.sent) == ([1, 2, 3], [])
    assert Counted.transactions == 1 + 3  # the batch (its one failure), then one per record


async def test_a_payload_the_group_does_not_want_costs_no_transaction_nor_inbox_mark() -> None:
    world = World()
    _counted(world)
    world.applier.sub = Subscription("test-group", [PROBE_TOPIC], world.applier.sub.handlers,
                                     wants={ProbeHappened: lambda probe: probe.n % 2 == 1})
    assert await world.applier.apply(_probe_record(2)) is Outcome.IGNORED
    assert await world.applier.apply_all([_probe_record(n) for n in (4, 6)]) == 2
    assert (world.seen, Counted.transactions, world.applied) == ([], 0, set())
    assert await world.applier.apply_all([_probe_record(n) for n in (1, 2, 3)]) == 3
    assert (world.seen, Counted.transactions, len(world.applied)) == ([1, 3], 1, 2)


async def test_a_duplicate_in_a_poll_is_dropped_and_the_rest_applied_once() -> None:
    world, first = World(), _probe_record(1)
    assert await world.applier.apply(first) is Outcome.APPLIED
    assert await world.applier.apply_all([first, _probe_record(2), _probe_record(3)]) == 3
    assert world.seen == [1, 2, 3]


async def test_a_bad_record_between_good_ones_is_dead_lettered_in_its_place() -> None:
    world = World()
    records = [_probe_record(1), _record(b"garbage"), _probe_record(2)]
    assert await world.applier.apply_all(records) == 3
    assert world.seen == [1, 2]
    assert len(world.producer.sent) == 1
    assert world.reasons()[0].startswith("contract: ")


async def test_an_outage_in_a_batch_leaves_the_whole_batch_to_be_read_again() -> None:
    world = World()

    async def mongo_away(event: Received[ProbeHappened], uow: Any) -> None:
        raise AutoReconnect("connection refused")

    world.applier.sub.handlers[ProbeHappened] = mongo_away  # type: ignore[index]
    assert await world.applier.apply_all([_probe_record(1), _probe_record(2)]) == 0
    assert world.producer.sent == []
