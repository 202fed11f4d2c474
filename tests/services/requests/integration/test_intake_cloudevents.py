"""A station frontend written with the stock `cloudevents` SDK, on real Kafka and MongoDB.

The SDK's Kafka binding makes the record (binary or structured content mode, its v2 core
API or its v1 layer), a plain aiokafka producer sends it as a frontend would, and the
requests service places the order; an event without a required attribute is dead-lettered
with the reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from cloudevents.v1 import kafka as ce_kafka_v1
from cloudevents.v1.http import CloudEvent as CloudEventV1

from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_requests.app.placing import derived_order_id
from tests.services.requests.integration.service import RunningService
from tests.services.requests.integration.test_intake import requested
from tests.support import eventually, read_all

ToKafka = Callable[[str, dict[str, Any], dict[str, Any]], Any]


def _core(to_kafka: Callable[[CloudEvent], Any]) -> ToKafka:
    def make(source: str, data: dict[str, Any], extensions: dict[str, Any]) -> Any:
        attributes = {"type": "civiloop.OrderRequested", "source": source, **extensions}
        return to_kafka(CloudEvent(attributes=attributes, data=data))
    return make


def _v1(to_kafka: Callable[[CloudEventV1], Any]) -> ToKafka:
    def make(source: str, data: dict[str, Any], extensions: dict[str, Any]) -> Any:
        attributes = {"type": "civiloop.OrderRequested", "source": source,
                      "datacontenttype": "application/json", **extensions}
        return to_kafka(CloudEventV1(attributes, data))
    return make


MODES = {
    "core-binary": _core(ce_kafka.to_binary_event),
    "core-structured": _core(ce_kafka.to_structured_event),
    "v1-binary": _v1(ce_kafka_v1.to_binary),
    "v1-structured": _v1(ce_kafka_v1.to_structured),
}


@asynccontextmanager
async def frontend(bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    """A station frontend's own producer: plain aiokafka, nothing of ours."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def publish(bootstrap: str, message: Any, headers: dict[str, bytes] | None = None) -> None:
    """Send the SDK's KafkaMessage (optionally with other headers) onto the intake topic."""
    key = message.key.encode() if isinstance(message.key, str) else message.key
    async with frontend(bootstrap) as producer:
        await producer.send_and_wait(STATION_INTAKE, value=message.value, key=key,
                                     headers=list((headers or message.headers).items()))


async def dead_letters(bootstrap: str, key: bytes) -> list[Any]:
    """The intake topic's dead letters with ``key``, once there is at least one."""
    found: list[Any] = []

    async def some() -> bool:
        found[:] = [r for r in await read_all(bootstrap, dlq_of(STATION_INTAKE),
                                              expect=1_000_000, within_s=2) if r.key == key]
        return bool(found)
    await eventually(some)
    return found


@pytest.mark.parametrize("mode", sorted(MODES))
async def test_an_order_published_with_the_stock_sdk_is_placed(
        service: RunningService, mode: str) -> None:
    source, request_id = f"/stations/wanhe-yangguang/{mode}", f"req-{uuid.uuid4().hex[:8]}"
    data = requested(request_id).model_dump(mode="json")
    # The SDK's defaults fill id, time, specversion; nothing of civiloop's is needed beyond
    # the data (a partition key keeps one request's resends on one partition).
    message = MODES[mode](source, data, {"partitionkey": request_id})
    await publish(service.settings.kafka_bootstrap, message)
    order_id = derived_order_id(source, request_id)

    async def placed() -> bool:
        return len(await service.published(order_id, OrderPlaced.event_type())) == 1
    await eventually(placed)
    stored = await service.runtime.database.db["orders"].find_one({"_id": order_id})
    assert stored is not None
    assert (stored["request_id"], stored["unit"]["station"]) == (request_id, "wanhe-yangguang")


async def test_an_sdk_event_with_no_extensions_and_no_key_is_placed(
        service: RunningService) -> None:
    source, request_id = "/stations/wanhe-yangguang/bare", f"req-{uuid.uuid4().hex[:8]}"
    message = MODES["core-binary"](source, requested(request_id).model_dump(mode="json"), {})
    assert message.key is None
    await publish(service.settings.kafka_bootstrap, message)
    order_id = derived_order_id(source, request_id)

    async def placed() -> bool:
        return len(await service.published(order_id, OrderPlaced.event_type())) == 1
    await eventually(placed)


def _without(attribute: str, mode: str, request_id: str) -> tuple[Any, dict[str, bytes]]:
    """An SDK message for ``request_id`` in ``mode`` with ``attribute`` taken out."""
    source, data = "/stations/wanhe-yangguang/app", requested(request_id).model_dump(mode="json")
    message = MODES[f"core-{mode}"](source, data, {"partitionkey": request_id})
    if mode == "binary":
        return message, {k: v for k, v in message.headers.items() if k != f"ce_{attribute}"}
    event = json.loads(message.value)
    del event[attribute]
    return dataclasses.replace(message, value=json.dumps(event).encode()), message.headers


@pytest.mark.parametrize("mode", ["binary", "structured"])
@pytest.mark.parametrize("attribute", ["id", "specversion"])
async def test_an_event_without_a_required_attribute_is_dead_lettered(
        service: RunningService, attribute: str, mode: str) -> None:
    request_id = f"req-{uuid.uuid4().hex[:8]}"
    message, headers = _without(attribute, mode, request_id)
    await publish(service.settings.kafka_bootstrap, message, headers)
    [dead] = await dead_letters(service.settings.kafka_bootstrap, request_id.encode())
    assert dict(dead.headers)[REASON_HEADER].decode() == (
        f"contract: {attribute}: required by CloudEvents 1.0")
    assert await service.runtime.database.db["orders"].count_documents(
        {"request_id": request_id}) == 0


DOCS = Path(__file__).resolve().parents[4] / "docs" / "events.md"


def producer_example() -> str:
    """The producer example of docs/events.md, as a reader would copy it."""
    text = DOCS.read_text(encoding="utf-8")
    after = text.split("<!-- producer-example -->", 1)[1]
    return after.split("```python\n", 1)[1].split("```", 1)[0]


async def test_the_producer_example_in_the_docs_places_both_its_orders(
        service: RunningService) -> None:
    code = producer_example().replace('KAFKA = "127.0.0.1:9092"',
                                      f'KAFKA = "{service.settings.kafka_bootstrap}"')
    assert "KAFKA = \"127.0.0.1:9092\"" not in code, "the example names its broker otherwise"
    run = await asyncio.create_subprocess_exec(sys.executable, "-c", code,
                                               stdout=asyncio.subprocess.PIPE,
                                               stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(run.communicate(), 120)
    assert run.returncode == 0, err.decode()
    sent = [line.split() for line in out.decode().splitlines()]
    assert [mode for _, _, mode in sent] == ["to_binary_event", "to_structured_event"]
    for _, request_id, _ in sent:
        order_id = derived_order_id("/stations/wanhe-yangguang/app", request_id)

        async def placed(order_id: str = order_id) -> bool:
            return len(await service.published(order_id, OrderPlaced.event_type())) == 1
        await eventually(placed)
