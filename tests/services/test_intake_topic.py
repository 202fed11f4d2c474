"""The station intake topic as every service that reads it declares it: one judge per record.

Each group reading ``stations.intake.v1`` runs here on fakes, with its real subscription, and
every record goes through all of them, as Kafka delivers it to each group: a bad record is
dead-lettered exactly once, a good one is handled exactly once.
"""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from aiokafka.structs import ConsumerRecord

from civiloop_contracts import REGISTRY
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.entrypoints import subscriptions as feedback
from civiloop_platform.apply import Applier, Outcome
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_platform.messages import Subscription
from civiloop_platform.testing import FakeProducer, FakeUnitOfWork
from civiloop_requests.entrypoints import subscriptions as requests
from tests.contracts.conftest import load_golden

CONTENT_TYPE = [("content-type", b"application/cloudevents+json; charset=utf-8")]


def intake_subscriptions() -> list[Subscription]:
    """Every subscription of every service that reads the intake topic."""
    every = [requests.INTAKE, requests.LOOP, feedback.intake(Policy()),
             feedback.orders(Policy())]
    return [s for s in every if STATION_INTAKE in s.topics]


def _record(value: bytes, headers: list[tuple[str, bytes]]) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(topic=STATION_INTAKE, partition=0, offset=11, timestamp=0,
                          timestamp_type=0, key=b"req-7f3a91", value=value, checksum=None,
                          serialized_key_size=10, serialized_value_size=len(value),
                          headers=tuple(headers))


async def _through_every_group(record: ConsumerRecord[bytes, bytes]
                               ) -> tuple[list[Outcome], list[str]]:
    """What each group made of ``record``, and the reasons of all the dead letters written."""
    producer, outcomes = FakeProducer(), []
    for sub in intake_subscriptions():
        # Handlers must not run here (fakes have no repositories): refusals happen before.
        applier = Applier(sub, service=sub.group, producer=cast(Any, producer),
                          uow_factory=lambda: cast(Any, FakeUnitOfWork()))
        outcomes.append(await applier.apply(record))
    return outcomes, [dict(o.headers)[REASON_HEADER].decode() for o in producer.sent]


def _without(attribute: str) -> bytes:
    golden = load_golden("civiloop.OrderRequested")
    del golden[attribute]
    return json.dumps(golden).encode()


def _with_type(event_type: str) -> bytes:
    return json.dumps(load_golden("civiloop.OrderRequested") | {"type": event_type}).encode()


@pytest.mark.parametrize(("value", "why"), [
    (b"{not an event", "contract: "),
    (_without("id"), "contract: id: "),
    (_without("specversion"), "contract: specversion: "),
    (_with_type("civiloop.OrderTeleported"), "civiloop.OrderTeleported"),
    (_with_type("civiloop.OrderPlaced"), "is not accepted on stations.intake.v1"),
], ids=["garbage", "no-id", "no-specversion", "unknown-type", "another-topic's-type"])
async def test_a_bad_intake_record_is_dead_lettered_once(value: bytes, why: str) -> None:
    outcomes, reasons = await _through_every_group(_record(value, CONTENT_TYPE))
    assert len(reasons) == 1, reasons
    assert why in reasons[0]
    assert outcomes.count(Outcome.DEAD_LETTERED) == 1


def test_one_group_owns_the_topics_dead_letters_and_one_handles_each_type() -> None:
    subs = intake_subscriptions()
    assert [s.group for s in subs if s.owns_dead_letters] == ["requests-intake"]
    for name, model in REGISTRY.published().items():
        if model.topic == STATION_INTAKE:
            assert len([s for s in subs if s.handles(name)]) == 1, name


async def test_a_bad_rating_is_judged_by_the_group_that_handles_ratings() -> None:
    golden = load_golden("civiloop.RatingSubmitted")
    golden["data"]["stars"] = 9
    outcomes, reasons = await _through_every_group(
        _record(json.dumps(golden).encode(), CONTENT_TYPE))
    assert len(reasons) == 1
    assert "data.stars" in reasons[0]
    assert outcomes == [Outcome.IGNORED if sub.group == "requests-intake"
                        else Outcome.DEAD_LETTERED for sub in intake_subscriptions()]
