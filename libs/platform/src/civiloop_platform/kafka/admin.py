"""Create the catalogue's topics (and their dead-letter twins) with their configs.

Every topic keeps its history (``civiloop_contracts.topics.KEEP_HISTORY``): the configs are
set when a topic is created, and a topic that exists without them (created before they
were set, or by hand) is brought into line.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError, for_code

from civiloop_contracts.topics import all_topic_names, topic_configs
from civiloop_platform.logs import get_logger

log = get_logger(__name__)
DYNAMIC_TOPIC_CONFIG = 1  # DescribeConfigs v1+: the value is set on the topic itself


@dataclass(frozen=True)
class TopicChanges:
    """What ensure_topics changed: the topics it created, and those whose configs it set."""

    created: list[str]
    aligned: list[str]


async def ensure_topics(bootstrap: str, partitions: int, *, names: list[str] | None = None,
                        replication: int = 1, timeout_s: float = 30.0) -> TopicChanges:
    """Create each missing topic with ``partitions`` and its configs; set them where missing."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap,
                                request_timeout_ms=int(timeout_s * 1000))
    await asyncio.wait_for(admin.start(), timeout_s)
    try:
        wanted = names if names is not None else all_topic_names()
        existing = set(await asyncio.wait_for(admin.list_topics(), timeout_s))
        missing = [n for n in wanted if n not in existing]
        if missing:
            topics = [NewTopic(n, num_partitions=partitions, replication_factor=replication,
                               topic_configs=topic_configs(n)) for n in missing]
            response = await asyncio.wait_for(admin.create_topics(topics), timeout_s)
            _raise_topic_errors(response.topic_errors)
        present = [n for n in wanted if n in existing]
        aligned = await asyncio.wait_for(_align(admin, present), timeout_s) if present else []
        return TopicChanges(created=missing, aligned=aligned)
    finally:
        with contextlib.suppress(Exception):  # closing must not hide the real error
            await asyncio.wait_for(admin.close(), timeout_s)


async def _align(admin: AIOKafkaAdminClient, names: list[str]) -> list[str]:
    """Set the catalogue's configs on existing topics that lack them; return those changed."""
    overrides = await _overrides(admin, names)
    changes: list[ConfigResource] = []
    for name in names:
        wanted = topic_configs(name)
        if any(overrides[name].get(key) != value for key, value in wanted.items()):
            # AlterConfigs replaces all of a topic's overrides: keep the ones we do not own.
            merged = {**overrides[name], **wanted}
            changes.append(ConfigResource(ConfigResourceType.TOPIC, name, merged))
            log.warning("topic brought into line", topic=name, was=overrides[name], now=merged)
    if changes:
        for response in await admin.alter_configs(changes):
            for code, message, _type, name in response.resources:
                if code != 0:
                    raise for_code(code)(f"setting the configs of topic {name}: {message}")
    return [c.name for c in changes]


async def _overrides(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """Each topic's own config values (not the broker's defaults), as the broker reports them."""
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    found: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            name = resource["resource_name"]
            if resource["error_code"] != 0:
                raise for_code(resource["error_code"])(
                    f"reading the configs of topic {name}: {resource['error_message']}")
            found[name] = {entry["config_names"]: entry["config_value"]
                           for entry in resource["config_entries"] if _on_topic(entry)}
    return found


def _on_topic(entry: dict[str, Any]) -> bool:
    """Whether a DescribeConfigs entry is set on the topic (v0 says is_default, v1+ a source)."""
    if "config_source" in entry:
        return bool(entry["config_source"] == DYNAMIC_TOPIC_CONFIG)
    return not entry["is_default"]


def _raise_topic_errors(topic_errors: list[tuple[Any, ...]]) -> None:
    """Raise the broker's error for any topic it refused (it answers per topic, not at once)."""
    for name, code, *_ in topic_errors:
        # Another replica or process may create a topic first: that is the goal anyway.
        if code not in (0, TopicAlreadyExistsError.errno):
            raise for_code(code)(f"creating topic {name}")
