"""Envelopes in and out of Kafka records, and the errors a consumer gets for bad ones."""

from __future__ import annotations

import json
from typing import Any

import pytest

from civiloop_contracts import (
    CONTENT_TYPE,
    REGISTRY,
    ContractError,
    Envelope,
    caused_by,
    decode,
    encode,
    make_event,
)
from civiloop_contracts.events.feedback import FeedbackGiven
from tests.contracts.conftest import load_golden


def _record(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, ensure_ascii=False).encode()


def test_round_trip_keeps_payload_and_key() -> None:
    payload = FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=4, comment="好")
    record = encode(make_event(payload, source="civiloop/feedback"))
    assert record.key == b"ord-1"
    assert ("content-type", CONTENT_TYPE.encode()) in record.headers
    assert REGISTRY.parse(decode(record.value, record.headers)) == payload


def test_caused_by_keeps_correlation_and_points_at_cause() -> None:
    cause = Envelope.model_validate(load_golden("civiloop.RatingSubmitted"))
    payload = FeedbackGiven(order_id="ord-20250512-0042", feedback_id="fb-9", stars=5)
    effect = caused_by(payload, cause, source="civiloop/feedback")
    assert (effect.correlationid, effect.causationid) == (cause.correlationid, cause.id)
    assert effect.id != cause.id


def test_bad_field_is_named_with_its_path(order_placed: dict[str, Any]) -> None:
    rating = load_golden("civiloop.RatingSubmitted")
    rating["data"]["stars"] = 9
    with pytest.raises(ContractError, match=r"data\.stars"):
        REGISTRY.parse(decode(_record(rating)))
    order_placed["data"]["unit"]["centre"] = "X"
    with pytest.raises(ContractError, match=r"data\.unit\.centre"):
        REGISTRY.parse(decode(_record(order_placed)))


def test_missing_envelope_attribute_is_named(order_placed: dict[str, Any]) -> None:
    del order_placed["source"]
    with pytest.raises(ContractError, match=r"^source: required by CloudEvents 1\.0$"):
        decode(_record(order_placed))
    order_placed["source"] = ""
    with pytest.raises(ContractError, match=r"^source: String should have at least 1 character"):
        decode(_record(order_placed))


def test_an_absent_partition_key_is_the_record_key_else_the_data_key(
        order_placed: dict[str, Any]) -> None:
    del order_placed["partitionkey"]
    assert decode(_record(order_placed), key=b"ord-from-key").partitionkey == "ord-from-key"
    assert decode(_record(order_placed)).partitionkey == order_placed["data"]["order_id"]
    del order_placed["data"]["order_id"]
    with pytest.raises(ContractError, match=r"^partitionkey: Field required"):
        decode(_record(order_placed))


def test_an_absent_correlation_id_is_the_event_id(order_placed: dict[str, Any]) -> None:
    del order_placed["correlationid"]
    assert decode(_record(order_placed)).correlationid == order_placed["id"]


def test_unknown_type_is_refused(order_placed: dict[str, Any]) -> None:
    order_placed["type"] = "civiloop.OrderTeleported"
    with pytest.raises(ContractError, match=r"unknown event type 'civiloop\.OrderTeleported'"):
        REGISTRY.parse(decode(_record(order_placed)))


def test_newer_major_is_refused_newer_minor_is_read(order_placed: dict[str, Any]) -> None:
    order_placed["schemaversion"] = "1.7"
    order_placed["data"]["added_in_1_7"] = "ignored by a 1.0 reader"
    assert REGISTRY.parse(decode(_record(order_placed))).partition_key() == "ord-20250512-0042"
    order_placed["schemaversion"] = "2.0"
    with pytest.raises(ContractError, match="newer than this consumer"):
        REGISTRY.parse(decode(_record(order_placed)))


def test_wrong_content_type_and_empty_value_are_refused(order_placed: dict[str, Any]) -> None:
    with pytest.raises(ContractError, match="content-type"):
        decode(_record(order_placed), [("content-type", b"application/avro")])
    with pytest.raises(ContractError, match="empty"):
        decode(b"")
