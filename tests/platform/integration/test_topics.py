"""Topic creation on a real broker: idempotent, and a refused topic is an error, not silence."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiokafka.errors import InvalidReplicationFactorError

from civiloop_platform.kafka.admin import ensure_topics

pytestmark = pytest.mark.integration


async def test_creating_topics_twice_creates_them_once(infra: Any) -> None:
    names = [f"topics-test.{uuid.uuid4().hex[:8]}.v1"]
    assert await ensure_topics(infra.kafka_bootstrap, 2, names=names) == names
    assert await ensure_topics(infra.kafka_bootstrap, 2, names=names) == []


async def test_a_topic_the_broker_refuses_raises_its_error(infra: Any) -> None:
    names = [f"topics-test.{uuid.uuid4().hex[:8]}.v1"]
    with pytest.raises(InvalidReplicationFactorError, match=names[0]):
        await ensure_topics(infra.kafka_bootstrap, 2, names=names, replication=3)
