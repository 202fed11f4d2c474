"""Create the catalogue's topics (and their dead-letter twins) where they are missing."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from civiloop_contracts.topics import all_topic_names


async def ensure_topics(bootstrap: str, partitions: int, *, names: list[str] | None = None,
                        replication: int = 1, timeout_s: float = 30.0) -> list[str]:
    """Create each missing topic with ``partitions``; return the names it created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap,
                                request_timeout_ms=int(timeout_s * 1000))
    await asyncio.wait_for(admin.start(), timeout_s)
    try:
        wanted = names if names is not None else all_topic_names()
        existing = set(await asyncio.wait_for(admin.list_topics(), timeout_s))
        missing = [n for n in wanted if n not in existing]
        if missing:
            topics = [NewTopic(n, num_partitions=partitions, replication_factor=replication)
                      for n in missing]
            response = await asyncio.wait_for(admin.create_topics(topics), timeout_s)
            _raise_topic_errors(response.topic_errors)
        return missing
    finally:
        with contextlib.suppress(Exception):  # closing must not hide the real error
            await asyncio.wait_for(admin.close(), timeout_s)


def _raise_topic_errors(topic_errors: list[tuple[Any, ...]]) -> None:
    """Raise the broker's error for any topic it refused (it answers per topic, not at once)."""
    for name, code, *_ in topic_errors:
        # Another replica or process may create a topic first: that is the goal anyway.
        if code not in (0, TopicAlreadyExistsError.errno):
            raise for_code(code)(f"creating topic {name}")
