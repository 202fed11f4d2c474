"""Unit tests of the chaos harness's judges: recovery from closing times, the duplicate,
dead-letter and causality checks, the poison, the plan's own rules, and when the injector
strikes."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from aiokafka.structs import ConsumerRecord

from civiloop_contracts.codec import decode, encode
from civiloop_contracts.events.requests import OrderClosed
from civiloop_contracts.payload import REGISTRY, ContractError, make_event
from civiloop_devstack.chaos import checks, faults
from civiloop_devstack.chaos.faults import Injected, Injector
from civiloop_devstack.chaos.figures import Closings, in_flight
from civiloop_devstack.chaos.plan import FULL, SHORT, ChaosPlan, Fault, Kind
from civiloop_devstack.chaos.poison import poison
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.tally import Tally

T0 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def steady(start: float, end: float, per_s: float) -> list[datetime]:
    """Closings at ``per_s`` a second from ``start`` to ``end``."""
    count = int((end - start) * per_s)
    return [at(start + i / per_s) for i in range(count)]


def test_recovery_runs_from_the_fault_until_closings_are_back_at_the_rate_before() -> None:
    # 2/s for two minutes, nothing for 40 s after a fault at 120 s, then 2/s again.
    closings = Closings(steady(0, 120, 2) + steady(160, 400, 2))
    recovery = closings.recovery(at(120))
    assert recovery.before == pytest.approx(2.0)
    assert recovery.lowest == 0.0
    # Back from the moment the next 20 s hold 80 % of 2/s: 32 closings, from 156 s on.
    assert recovery.after_s == pytest.approx(36.0, abs=1.0)


def test_a_fault_the_closing_rate_never_felt_recovered_at_once() -> None:
    assert Closings(steady(0, 600, 2)).recovery(at(120)).after_s == 0.0


def test_a_rate_that_never_comes_back_has_no_recovery_and_nothing_before_has_no_rate() -> None:
    closings = Closings(steady(0, 120, 2) + steady(140, 400, 0.5))
    assert closings.recovery(at(120)).after_s is None
    assert Closings(steady(100, 200, 2)).recovery(at(90)).before is None


def test_a_fault_strikes_the_orders_placed_before_it_and_not_yet_closed() -> None:
    def timeline(placed: float, closed: float | None) -> list[dict[str, Any]]:
        steps = [{"at": at(placed).isoformat(), "step": "place"}]
        return steps + ([] if closed is None else [{"at": at(closed).isoformat(),
                                                    "step": "close"}])
    timelines = {"done": timeline(0, 50), "open": timeline(10, 150), "late": timeline(120, 200),
                 "never": timeline(20, None)}
    assert in_flight(timelines, at(100)) == 2
    assert in_flight(timelines, at(300)) == 1
    assert in_flight({}, at(100)) == 0


def record(value: bytes, *, topic: str = "requests.events.v1", offset: int = 0,
           key: bytes = b"k", headers: list[tuple[str, bytes]] | None = None
           ) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(topic, 0, offset, 0, 0, key, value, None, len(key), len(value),
                          headers or [])


def closed(order_id: str) -> bytes:
    return encode(make_event(OrderClosed(order_id=order_id, outcome="rated"),
                             source="/services/requests")).value


def test_a_fact_announced_twice_is_a_duplicate_but_the_same_event_again_is_not() -> None:
    again = closed("o1")
    records = [record(again), record(again, offset=1), record(closed("o2")),
               record(closed("o2"), offset=3)]
    assert checks.twice_on_topics(records) == ["OrderClosed of order o2: 2 events"]
    assert checks.twice_on_topics(records, {"o1"}) == []


def event(kind: str, order_id: str) -> bytes:
    """A raw event of type ``kind`` about ``order_id`` (a fresh id each time)."""
    body = json.loads(closed(order_id))
    body["type"], body["data"] = f"civiloop.{kind}", {"order_id": order_id}
    return json.dumps(body).encode()


def test_more_redispatches_than_offers_declined_or_withdrawn_are_duplicates() -> None:
    records = [record(event(kind, order)) for order, kinds in (
        ("o1", ["OrderDeclined", "OrderRedispatched", "OrderWithdrawn", "OrderRedispatched"]),
        ("o2", ["OrderDeclined", "OrderRedispatched", "OrderRedispatched"]))
        for kind in kinds]
    assert checks.twice_on_topics(records) == [
        "order o2: 2 redispatches for 1 offers declined or withdrawn"]


def line(step: str, seconds: float) -> dict[str, Any]:
    return {"step": step, "at": at(seconds).isoformat()}


LOOP = ["place", "dispatch", "decline", "dispatch", "accept", "start_service", "complete",
        "rate", "close"]


def test_a_timeline_in_causal_order_passes_and_each_kind_of_break_is_named() -> None:
    good = [line(step, i) for i, step in enumerate(LOOP)]
    assert checks.out_of_order({"o1": good}) == []
    swapped = [line(s, i) for i, s in enumerate(["place", "dispatch", "complete", "accept",
                                                 "rate", "close"])]
    late = [*good[:-1], line("close", 1), ]
    after_close = [*good, line("rate", 20)]
    found = checks.out_of_order({"a": swapped, "b": late, "c": after_close,
                                 "d": good[1:]})
    assert [f.split(":")[0] for f in found] == [
        "order a", "order a", "order b", "order c", "order c", "order d"]
    assert "'complete' at 10:00:02.000000 before 'accept' at 10:00:03.000000" in found[1]
    assert "'close' at 10:00:01.000000 before 'rate' at 10:00:07.000000" in found[2]
    assert "steps after the close" in found[3]
    assert "does not start with its placing" in found[5]


def test_steps_hours_and_ratings_twice_in_the_owners_are_duplicates() -> None:
    timeline = [line(step, i) for i, step in enumerate(LOOP)] + [line("close", 9)]
    hours = [{"order_id": "o1", "volunteer_id": "v1", "status": "final"}] * 2 + [
        {"order_id": "o2", "volunteer_id": "v1", "status": "superseded"},
        {"order_id": "o2", "volunteer_id": "v1", "status": "final"}]
    ratings = [{"order_id": "o1", "round": 1}, {"order_id": "o1", "round": 2}]
    assert checks.twice_in_owners({"o1": timeline}, hours, ratings) == [
        "order o1: 2 'close' lines in its timeline", "order o1: 2 hours entries for volunteer v1"]
    assert checks.twice_in_owners({}, [], ratings * 2) == [
        "order o1: 2 ratings in round 1", "order o1: 2 ratings in round 2"]


def dead(origin_offset: int, reason: bytes = b"contract: bad") -> ConsumerRecord[bytes, bytes]:
    return record(b"x", topic="stations.intake.v1.dlq", headers=[
        ("dlq-reason", reason), ("dlq-original-topic", b"stations.intake.v1"),
        ("dlq-original-partition", b"0"), ("dlq-original-offset", str(origin_offset).encode())])


def test_the_dead_letters_must_be_exactly_the_poison_each_counted_once() -> None:
    intake = [record(b"p", topic="stations.intake.v1", offset=5, key=b"poison-1"),
              record(b"g", topic="stations.intake.v1", offset=6, key=b"good"),
              record(b"p", topic="stations.intake.v1", offset=7, key=b"poison-2")]
    # Two groups dead-lettered poison-1: one dead letter of one record.
    assert checks.dead_letters_besides_poison([dead(5), dead(5), dead(7)], intake,
                                              {"poison-1", "poison-2"}) == (2, [])
    count, found = checks.dead_letters_besides_poison([dead(5), dead(6, b"handler: boom")],
                                                      intake, {"poison-1", "poison-2",
                                                               "poison-3"})
    assert count == 2
    assert found == ["dead letter of stations.intake.v1[0]@6: not poison (handler: boom)",
                     "poison poison-2 at stations.intake.v1[0]@7: not dead-lettered",
                     "poison poison-3: not on the intake topic"]


def read(value: bytes, headers: list[tuple[str, bytes]]) -> None:
    """Read a record as a consumer would: decode, know the type, parse the payload."""
    envelope = decode(value, headers)
    if envelope.type not in REGISTRY.models:
        raise ContractError(f"type: {envelope.type} is unknown")
    REGISTRY.parse(envelope)


def test_every_poison_record_breaks_the_contract() -> None:
    bad = poison(LoadPlan(stations=2, orders=4), each=2)
    assert len({p.key for p in bad}) == len(bad) == 10
    for p in bad:
        with pytest.raises(ContractError):
            read(p.record.value, p.record.headers)


def test_the_schedules_hold_every_kind_of_fault_and_a_replica_dies_only_after_it_started(
        ) -> None:
    for schedule in (FULL, SHORT):
        assert {f.kind for f in schedule} == set(Kind)
    assert [f.target for f in FULL if f.kind is Kind.KILL].count("dispatch") == 3
    with pytest.raises(ValueError, match="started before it is killed"):
        ChaosPlan(faults=(Fault(0.5, Kind.SCALE_IN, "stats"), Fault(0.6, Kind.SCALE_OUT, "stats")))
    with pytest.raises(ValueError, match="share of the orders"):
        ChaosPlan(faults=(Fault(1.5, Kind.KILL, "stats"),))


async def test_a_fault_waits_for_its_point_and_for_an_order_in_service() -> None:
    tally = Tally(accepted=5, rated=5)  # every order so far rated: none in flight
    seen: list[tuple[str, int, int]] = []
    plan = ChaosPlan(load=LoadPlan(stations=2, orders=10), faults=(Fault(0.5, Kind.STALL, "mongo"),))

    async def closed() -> int:
        return 5

    injector = Injector(cast(Any, None), plan, [], cast(Any, None), closed, lambda _: None)

    async def inject(fault: Fault) -> Injected:
        seen.append((fault.target, tally.accepted, tally.rated))
        return Injected(fault.kind, fault.target, T0)

    injector.inject = inject  # type: ignore[method-assign]
    running = asyncio.create_task(injector.run(tally))
    await asyncio.sleep(0.2)
    assert seen == []  # at its point, but nothing in service to strike
    tally.accepted += 1
    await asyncio.wait_for(running, 5)
    assert seen == [("mongo", 6, 5)]
    assert [f.target for f in injector.injected] == ["mongo"]


async def test_a_fault_with_no_order_in_service_for_long_is_injected_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faults, "SERVING_WITHIN_S", 0.1)
    said: list[str] = []
    injector = Injector(cast(Any, None), ChaosPlan(), [], cast(Any, None), cast(Any, None),
                        said.append)
    await asyncio.wait_for(injector._until_serving(Tally()), 5)
    assert said == ["chaos: no order in service for 0.1 s: injecting"]
