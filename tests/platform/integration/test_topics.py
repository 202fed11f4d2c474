"""Topic creation on a real broker: idempotent, a refused topic is an error, history is kept.

The retention checks read the broker's own answer (DescribeConfigs through aiokafka's admin
client), not what our code meant to send.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import InvalidReplicationFactorError

from civiloop_contracts.topics import all_topic_names, dlq_of
from civiloop_platform.kafka.admin import ensure_topics

pytestmark = pytest.mark.integration

KEPT = {"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"}
WEEK_MS = str(7 * 24 * 3600 * 1000)
UNKNOWN_TOPIC = 3


def fresh_name() -> str:
    return f"topics-test.{uuid.uuid4().hex[:8]}.v1"


@pytest.fixture
async def admin(infra: Any) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    await client.start()
    yield client
    await client.close()


async def broker_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """Each topic's effective configuration as the broker reports it."""
    for _ in range(50):  # a topic just created may not be known to the broker's metadata yet
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
        resources = [r for response in responses for r in response.resources]
        if all(error != UNKNOWN_TOPIC for error, *_ in resources):
            break
        await asyncio.sleep(0.1)
    found: dict[str, dict[str, str]] = {}
    for error, message, _type, name, entries in resources:
        assert error == 0, f"{name}: {message}"
        found[name] = {entry[0]: entry[1] for entry in entries}
    return found


def history_policy(configs: dict[str, str]) -> dict[str, str]:
    return {key: configs[key] for key in KEPT}


async def test_creating_topics_twice_creates_them_once(infra: Any) -> None:
    names = [fresh_name()]
    assert (await ensure_topics(infra.kafka_bootstrap, 2, names=names)).created == names
    assert (await ensure_topics(infra.kafka_bootstrap, 2, names=names)).created == []


async def test_a_topic_the_broker_refuses_raises_its_error(infra: Any) -> None:
    names = [fresh_name()]
    with pytest.raises(InvalidReplicationFactorError, match=names[0]):
        await ensure_topics(infra.kafka_bootstrap, 2, names=names, replication=3)


async def test_created_topics_and_their_dead_letters_keep_every_event(
    infra: Any, admin: AIOKafkaAdminClient,
) -> None:
    name = fresh_name()
    await ensure_topics(infra.kafka_bootstrap, 2, names=[name, dlq_of(name)])
    configs = await broker_configs(admin, [name, dlq_of(name)])
    assert history_policy(configs[name]) == KEPT
    assert history_policy(configs[dlq_of(name)]) == KEPT


async def test_every_catalogue_topic_keeps_every_event(
    infra: Any, admin: AIOKafkaAdminClient,
) -> None:
    await ensure_topics(infra.kafka_bootstrap, 3)  # what `make topics` and the compose job do
    configs = await broker_configs(admin, all_topic_names())
    assert {name: history_policy(c) for name, c in configs.items()} == {
        name: KEPT for name in all_topic_names()}


async def test_a_topic_created_before_with_seven_days_is_brought_into_line(
    infra: Any, admin: AIOKafkaAdminClient,
) -> None:
    """A `.local/` from before: the topic exists with the broker's 7 days, or an override."""
    plain, overridden = fresh_name(), fresh_name()
    await admin.create_topics([
        NewTopic(plain, num_partitions=2, replication_factor=1),
        NewTopic(overridden, num_partitions=2, replication_factor=1,
                 topic_configs={"retention.ms": WEEK_MS, "max.message.bytes": "2000000"})])
    before = await broker_configs(admin, [plain, overridden])
    assert before[plain]["retention.ms"] == WEEK_MS  # Kafka's default: the defect

    changes = await ensure_topics(infra.kafka_bootstrap, 2, names=[plain, overridden])

    assert changes.created == []
    assert sorted(changes.aligned) == sorted([plain, overridden])
    after = await broker_configs(admin, [plain, overridden])
    assert history_policy(after[plain]) == KEPT
    assert history_policy(after[overridden]) == KEPT
    assert after[overridden]["max.message.bytes"] == "2000000", "other overrides stay"
    again = await ensure_topics(infra.kafka_bootstrap, 2, names=[plain, overridden])
    assert again.aligned == [], "a topic already in line is left alone"


async def test_the_broker_never_forgets_a_consumer_groups_offsets(
    infra: Any, admin: AIOKafkaAdminClient,
) -> None:
    """Kafka's default drops an idle group's offsets after 7 days: a replay of all history."""
    if infra.source == "environment":
        pytest.skip("a broker given by KAFKA_BOOTSTRAP is configured by whoever runs it")
    brokers = (await admin.describe_cluster())["brokers"]
    responses = await admin.describe_configs([
        ConfigResource(ConfigResourceType.BROKER, str(b["node_id"]),
                       {"offsets.retention.minutes": None}) for b in brokers])
    values = {entry[0]: entry[1] for response in responses
              for *_, entries in response.resources for entry in entries}
    assert values["offsets.retention.minutes"] == str(2**31 - 1)
