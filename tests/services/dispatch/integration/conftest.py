"""One dispatch replica for the module, on real Kafka and MongoDB, with a database of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from civiloop_contracts.topics import DISPATCH, REQUESTS, VOLUNTEERS, dlq_of
from civiloop_dispatch.bootstrap import build_spec
from civiloop_dispatch.config import Settings
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.runtime import Runtime
from tests.services.dispatch.integration.harness import Harness
from tests.support import drop_when_done, started_producer

GRAB_CATEGORY = "street_performance"


def settings_for(infra: Any, **changes: Any) -> Settings:
    """Test settings: a fresh database and consumer groups, short timer polls."""
    tag = uuid.uuid4().hex[:8]
    fields: dict[str, Any] = dict(
        kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
        mongo_db=f"civiloop_test_dispatch_{tag}", consumer_group=f"dispatch-test-{tag}",
        civiloop_env="test", deadline_poll_s=0.2, deadline_lease_s=5.0, outbox_poll_s=0.1,
        grab_categories=frozenset({GRAB_CATEGORY}), grab_size=3, tries_per_level=2)
    return Settings(**(fields | changes))


async def create_topics(bootstrap: str) -> None:
    """The topics dispatch reads and writes, with their dead-letter twins."""
    await ensure_topics(bootstrap, 3, names=[n for t in (REQUESTS, VOLUNTEERS, DISPATCH)
                                             for n in (t, dlq_of(t))])


@pytest.fixture(scope="module")
async def dispatch(infra: Any) -> AsyncIterator[Harness]:
    """A running dispatch service (consumers, relay, deadline loop) and a producer to feed it."""
    await create_topics(infra.kafka_bootstrap)
    settings = settings_for(infra)
    runtime = Runtime(build_spec(settings))
    await runtime.start()
    try:
        async with started_producer(infra.kafka_bootstrap, "dispatch-tests") as producer:
            yield Harness(runtime, producer)
    finally:
        await runtime.stop()
        drop_when_done(settings.database)
