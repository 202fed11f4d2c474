"""Create the catalogue's topics (and their dead-letter twins) where they are missing."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

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
            # Another replica or process may create them first: that is the goal anyway.
            with contextlib.suppress(TopicAlreadyExistsError):
                await asyncio.wait_for(admin.create_topics(topics), timeout_s)
        return missing
    finally:
        await asyncio.wait_for(admin.close(), timeout_s)
