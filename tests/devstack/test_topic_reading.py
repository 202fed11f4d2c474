"""Integration: reading whole topics outside any group finds what is on them (the load's
dead letters, the chaos run's events and poison)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_devstack.load.report import dead_letters
from civiloop_devstack.records import read_all
from civiloop_platform.kafka.admin import ensure_topics
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_platform.kafka.producer import Outgoing
from tests.support import started_producer

pytestmark = pytest.mark.integration


async def test_a_dead_lettered_order_is_found_with_its_reason_and_every_record_is_read(
        infra: Any) -> None:
    # Nothing goes to the live intake topic: a requests service of another test on this
    # broker would read it and dead-letter the records itself.
    others = f"ld-test-{uuid.uuid4().hex[:8]}.v1"
    await ensure_topics(infra.kafka_bootstrap, 3, names=[others])
    await ensure_topics(infra.kafka_bootstrap, 3)
    mine = [f"ld-test-{uuid.uuid4().hex[:8]}-r{n}" for n in range(4)]
    async with started_producer(infra.kafka_bootstrap, "topic-reading-test") as producer:
        await producer.send_all([Outgoing(dlq_of(STATION_INTAKE), key.encode(), b"{}",
                                          [(REASON_HEADER, f"contract: {key}".encode())])
                                 for key in mine[:2]])
        await producer.send_all([Outgoing(others, key.encode(), b"{}", []) for key in mine])
    found = await dead_letters(infra.kafka_bootstrap, {mine[0], mine[2]})
    assert found == {mine[0]: f"contract: {mine[0]}"}
    records = await read_all(infra.kafka_bootstrap, [others, dlq_of(STATION_INTAKE)])
    keys = [(r.topic, (r.key or b"").decode()) for r in records]
    assert sorted(k for k in keys if k[1] in mine) == sorted(
        [(others, k) for k in mine] + [(dlq_of(STATION_INTAKE), k) for k in mine[:2]])
