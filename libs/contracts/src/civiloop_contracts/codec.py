"""How an envelope rides in a Kafka record: CloudEvents structured content mode, JSON.

The record value is the whole CloudEvent as JSON, the ``content-type`` header says so, and
the record key is the event's ``partitionkey``. Structured mode keeps an event one self-
contained document, which is what a station frontend, a dead-letter topic and a replay tool
all want to handle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import ContractError, _describe

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class KafkaRecord:
    """What a producer sends: key, value and headers, as bytes."""

    key: bytes
    value: bytes
    headers: Headers = field(default_factory=list)


def encode(envelope: Envelope) -> KafkaRecord:
    """Turn an envelope into a Kafka record in structured content mode."""
    return KafkaRecord(key=envelope.partitionkey.encode(), value=envelope.to_json(),
                       headers=[("content-type", CONTENT_TYPE.encode())])


def decode(value: bytes | None, headers: Sequence[tuple[str, bytes]] = ()) -> Envelope:
    """Parse a record value into an envelope, or raise ContractError naming the field."""
    content_type = dict(headers).get("content-type")
    if content_type is not None and not content_type.startswith(b"application/cloudevents+json"):
        raise ContractError(f"content-type: expected application/cloudevents+json, "
                            f"got {content_type.decode(errors='replace')!r}")
    if not value:
        raise ContractError("value: empty record")
    try:
        return Envelope.model_validate_json(value)
    except ValidationError as exc:
        raise ContractError(_describe(exc, "")) from None
