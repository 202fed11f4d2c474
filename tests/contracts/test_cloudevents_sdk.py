"""Stock CloudEvents clients: what the `cloudevents` SDK's Kafka binding writes, we read.

Both content modes of the Kafka protocol binding, from both of the SDK's APIs (the v2 core
API and the v1 compatibility layer most existing frontends were written against); and the
CloudEvents 1.0 required attributes refused when absent, whatever the mode.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from cloudevents.v1 import kafka as ce_kafka_v1
from cloudevents.v1.http import CloudEvent as CloudEventV1

from civiloop_contracts import REGISTRY, ContractError, decode, encode
from civiloop_contracts.events.intake import OrderRequested
from civiloop_contracts.schemagen import SCHEMA_DIR
from tests.contracts.conftest import load_golden

Headers = list[tuple[str, bytes]]


def _request_data() -> dict[str, Any]:
    data: dict[str, Any] = load_golden("civiloop.OrderRequested")["data"]
    return data


def _as_record(headers: dict[str, bytes], key: str | bytes | None) -> tuple[Headers, bytes | None]:
    """The SDK's message as aiokafka hands a consumer its headers (a list) and key (bytes)."""
    raw_key = key.encode() if isinstance(key, str) else key
    return list(headers.items()), raw_key


def _sdk_event(**extensions: Any) -> CloudEvent:
    """A station app's event, built with the SDK's defaults (id, time, specversion filled)."""
    return CloudEvent(attributes={"type": "civiloop.OrderRequested",
                                  "source": "/stations/wanhe-yangguang/app", **extensions},
                      data=_request_data())


@pytest.mark.parametrize("to_kafka", [ce_kafka.to_binary_event, ce_kafka.to_structured_event],
                         ids=["binary", "structured"])
def test_the_sdk_defaults_in_either_mode_give_the_order_request(to_kafka: Any) -> None:
    event = _sdk_event()
    message = to_kafka(event)
    headers, key = _as_record(message.headers, message.key)
    envelope = decode(message.value, headers, key=key)
    payload = REGISTRY.parse(envelope)
    assert isinstance(payload, OrderRequested)
    assert payload.request_id == "req-7f3a91"
    assert (envelope.id, envelope.source, envelope.time) == (
        event.get_id(), "/stations/wanhe-yangguang/app", event.get_time())
    # Without our extensions: the story starts here, and the aggregate is the request.
    assert envelope.correlationid == event.get_id()
    assert envelope.partitionkey == "req-7f3a91"
    assert envelope.schemaversion == "1.0"


@pytest.mark.parametrize("to_kafka", [ce_kafka.to_binary_event, ce_kafka.to_structured_event],
                         ids=["binary", "structured"])
def test_our_extensions_come_through_either_mode(to_kafka: Any) -> None:
    event = _sdk_event(schemaversion="1.1", correlationid="corr-9", causationid="evt-8",
                       recordedtime="2025-05-12T09:30:01+08:00", partitionkey="req-7f3a91")
    message = to_kafka(event)
    assert message.key == "req-7f3a91"  # the binding maps partitionkey to the record key
    headers, key = _as_record(message.headers, message.key)
    envelope = decode(message.value, headers, key=key)
    assert (envelope.schemaversion, envelope.correlationid, envelope.causationid) == (
        "1.1", "corr-9", "evt-8")
    assert envelope.recordedtime.isoformat() == "2025-05-12T09:30:01+08:00"
    assert envelope.partitionkey == "req-7f3a91"


# The v1 layer's to_binary needs datacontenttype set (it reads event["datacontenttype"]);
# its to_structured puts datacontenttype, if any, in the content-type header.
@pytest.mark.parametrize(("to_kafka", "datacontenttype"), [
    (ce_kafka_v1.to_binary, "application/json"), (ce_kafka_v1.to_structured, None),
    (ce_kafka_v1.to_structured, "application/json")],
    ids=["binary", "structured", "structured-with-datacontenttype"])
def test_the_v1_sdk_layer_in_either_mode_is_read(to_kafka: Any,
                                                 datacontenttype: str | None) -> None:
    attributes = {"type": "civiloop.OrderRequested", "source": "/stations/wanhe/kiosk",
                  "partitionkey": "req-7f3a91"}
    if datacontenttype:
        attributes["datacontenttype"] = datacontenttype
    event = CloudEventV1(attributes, _request_data())
    message = to_kafka(event)
    headers, key = _as_record(message.headers, message.key)
    envelope = decode(message.value, headers, key=key)
    assert envelope.id == event["id"]
    assert isinstance(REGISTRY.parse(envelope), OrderRequested)


def test_a_stock_consumer_reads_our_records_with_every_extension() -> None:
    golden = load_golden("civiloop.OrderRequested")
    record = encode(decode(json.dumps(golden).encode()))
    message = ce_kafka.KafkaMessage(headers=dict(record.headers), key=record.key,
                                    value=record.value)
    event = ce_kafka.from_kafka_event(message)
    assert (event.get_id(), event.get_type()) == (golden["id"], golden["type"])
    for name in ("schemaversion", "correlationid", "recordedtime", "partitionkey"):
        assert event.get_extension(name) == golden[name]


def _structured(attributes: dict[str, Any]) -> tuple[bytes, Headers]:
    return (json.dumps(attributes).encode(),
            [("content-type", b"application/cloudevents+json; charset=utf-8")])


@pytest.mark.parametrize("attribute", ["id", "specversion", "source", "type"])
def test_a_structured_event_without_a_required_attribute_is_refused(attribute: str) -> None:
    golden = load_golden("civiloop.OrderRequested")
    del golden[attribute]
    value, headers = _structured(golden)
    with pytest.raises(ContractError, match=rf"^{attribute}: "):
        decode(value, headers, key=b"req-7f3a91")


@pytest.mark.parametrize("attribute", ["id", "specversion", "source", "type"])
def test_a_binary_event_without_a_required_attribute_is_refused(attribute: str) -> None:
    message = ce_kafka.to_binary_event(_sdk_event())
    headers = [(k, v) for k, v in message.headers.items() if k != f"ce_{attribute}"]
    with pytest.raises(ContractError, match=rf"^{attribute}: "):
        decode(message.value, headers, key=b"req-7f3a91")


def test_binary_data_that_is_not_json_is_refused_naming_the_content_type() -> None:
    message = ce_kafka.to_binary_event(_sdk_event(datacontenttype="text/plain"))
    with pytest.raises(ContractError, match="content-type"):
        decode(message.value, list(message.headers.items()))


def test_the_published_envelope_schema_requires_what_cloudevents_requires() -> None:
    schema = json.loads((SCHEMA_DIR / "envelope" / "1.0.json").read_text(encoding="utf-8"))
    assert {"id", "source", "specversion", "type"} <= set(schema["required"])
    validator = jsonschema.Draft202012Validator(schema)
    golden = load_golden("civiloop.OrderRequested")
    assert validator.is_valid(golden)
    for attribute in ("id", "specversion"):
        assert not validator.is_valid({k: v for k, v in golden.items() if k != attribute})
    assert not validator.is_valid(golden | {"specversion": "0.3"})


def test_a_record_without_headers_is_read_as_a_structured_event() -> None:
    golden = load_golden("civiloop.OrderRequested")
    assert decode(json.dumps(golden).encode()).id == golden["id"]


def test_a_batch_or_another_format_is_refused_naming_the_content_type() -> None:
    value, _ = _structured(load_golden("civiloop.OrderRequested"))
    for content_type in (b"application/cloudevents-batch+json", b"application/avro"):
        with pytest.raises(ContractError, match="content-type"):
            decode(value, [("content-type", content_type)])
