"""KAFKA_GROUP_PREFIX renames the Kafka groups a service joins, and nothing else."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from civiloop_platform import consumer_loop
from civiloop_platform.consumer_loop import EventConsumer
from civiloop_platform.messages import Subscription
from civiloop_platform.settings import ServiceSettings
from civiloop_platform.testing import FakeProducer, FakeUnitOfWork


def test_the_prefix_comes_from_the_environment_and_refuses_odd_characters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILOOP_ENV", "test")
    monkeypatch.setenv("KAFKA_GROUP_PREFIX", "replay-7.")
    assert ServiceSettings(service_name="stats").kafka_group_prefix == "replay-7."
    monkeypatch.setenv("KAFKA_GROUP_PREFIX", "a b")
    with pytest.raises(ValueError, match="kafka_group_prefix"):
        ServiceSettings(service_name="stats")


async def test_the_consumer_joins_the_prefixed_group_and_keeps_the_group_in_inbox_keys(
        monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[str] = []
    stop = asyncio.Event()

    def make_consumer(bootstrap: str, group: str, topics: list[str], **_: Any) -> Any:
        joined.append(group)
        stop.set()  # one join is enough: the run loop then ends
        raise ConnectionError("no broker in a unit test")

    monkeypatch.setattr(consumer_loop, "make_consumer", make_consumer)
    sub = Subscription("stats-figures", ["civiloop.requests.v1"], {})
    consumer = EventConsumer(sub, bootstrap="127.0.0.1:1", instance_id="r1", service="stats",
                             uow_factory=lambda: cast(Any, FakeUnitOfWork()),
                             producer=cast(Any, FakeProducer()), group_prefix="replay-7.")
    await asyncio.wait_for(consumer.run(stop), 10)
    assert joined == ["replay-7.stats-figures"]
    # The inbox keys what was applied by the unprefixed group: a renamed group that reads its
    # topics again from the start finds every event it applies already recorded.
    assert consumer.applier.sub.group == "stats-figures"
