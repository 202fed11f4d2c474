"""How an envelope rides in a Kafka record: the CloudEvents Kafka protocol binding, JSON.

We write **structured** content mode: the record value is the whole CloudEvent as JSON, the
``content-type`` header says so, and the record key is the event's ``partitionkey``. One
self-contained document is what a dead-letter topic and a replay tool want to handle.

We read both modes, as the binding defines them and the stock SDKs write them:

- ``content-type: application/cloudevents+json…``: structured;
- any ``ce_*`` header: **binary** — each attribute in a ``ce_<name>`` header (UTF-8), the
  data's media type in ``content-type`` (JSON only; absent means ``application/json``), the
  record value is the data itself;
- neither (no ``content-type``, or a JSON one): structured, as our own records before the
  header existed and the SDK's v1 layer (which puts ``datacontenttype`` there) write it.

Absent on the wire and filled here: ``partitionkey`` from the record key (the binding's key
mapping), else from the data's key field; ``correlationid`` from the event's own id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import REGISTRY, ContractError, _describe

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
STRUCTURED_JSON = "application/cloudevents+json"
CE_PREFIX = "ce_"
REQUIRED = ("specversion", "id", "source", "type")
"""What CloudEvents 1.0 requires of every event."""
_JSON = re.compile(r"^(application|text)/([a-z0-9.+-]+\+)?json\s*(;.*)?$", re.IGNORECASE)
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


def decode(value: bytes | None, headers: Sequence[tuple[str, bytes]] = (), *,
           key: bytes | None = None) -> Envelope:
    """Read a record in either content mode into an envelope, or raise ContractError."""
    named = {name.lower(): raw for name, raw in headers}
    content_type = _text("content-type", named.get("content-type"))
    if content_type is not None and content_type.lower().startswith("application/cloudevents"):
        if not content_type.lower().startswith(STRUCTURED_JSON):
            raise ContractError(f"content-type: {content_type!r} is not accepted: one event "
                                f"per record, as {STRUCTURED_JSON} or in binary mode")
        attributes = _structured(value)
    elif any(name.startswith(CE_PREFIX) for name in named):
        attributes = _binary(value, named, content_type)
    elif content_type is None or _JSON.match(content_type):
        attributes = _structured(value)
    else:
        raise ContractError(f"content-type: {content_type!r} is neither a CloudEvent "
                            f"({STRUCTURED_JSON}) nor binary mode (ce_* headers)")
    return _envelope(attributes, key)


def _text(name: str, raw: bytes | None) -> str | None:
    try:
        return None if raw is None else raw.decode()
    except UnicodeDecodeError:
        raise ContractError(f"{name}: header is not UTF-8") from None


def _json(what: str, raw: bytes | None) -> Any:
    if not raw:
        raise ContractError(f"{what}: empty record")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContractError(f"{what}: not JSON: {exc}") from None


def _structured(value: bytes | None) -> dict[str, Any]:
    """The attributes and data of a structured-mode event."""
    attributes = _json("value", value)
    if not isinstance(attributes, dict):
        raise ContractError("value: a structured CloudEvent is a JSON object")
    return attributes


def _binary(value: bytes | None, named: dict[str, bytes],
            content_type: str | None) -> dict[str, Any]:
    """The attributes from ``ce_*`` headers; the value is the data, JSON only."""
    attributes: dict[str, Any] = {name[len(CE_PREFIX):]: _text(name, raw)
                                  for name, raw in named.items() if name.startswith(CE_PREFIX)}
    if content_type is not None:
        if not _JSON.match(content_type):
            raise ContractError(f"content-type: binary-mode data must be JSON "
                                f"(application/json), not {content_type!r}")
        attributes["datacontenttype"] = content_type
    attributes["data"] = _json("data", value)
    return attributes


def _envelope(attributes: dict[str, Any], key: bytes | None) -> Envelope:
    """Validate ``attributes`` as an envelope after filling what the wire may leave out."""
    missing = [name for name in REQUIRED if name not in attributes]
    if missing:
        raise ContractError("; ".join(f"{name}: required by CloudEvents 1.0" for name in missing))
    attributes.setdefault("correlationid", attributes["id"])  # the story starts here
    if "partitionkey" not in attributes:
        partition_key = _partition_key(attributes, key)
        if partition_key is not None:
            attributes["partitionkey"] = partition_key
    try:
        return Envelope.model_validate(attributes)
    except ValidationError as exc:
        raise ContractError(_describe(exc, "")) from None


def _partition_key(attributes: dict[str, Any], key: bytes | None) -> str | None:
    """The record key, else the data's key field for a known type, else None."""
    if key:
        try:
            return key.decode()
        except UnicodeDecodeError:
            return None
    event_type, data = attributes["type"], attributes.get("data")
    model = REGISTRY.models.get(event_type) if isinstance(event_type, str) else None
    if model is None or not isinstance(data, dict):
        return None
    found = data.get(model.key_field)
    return found if isinstance(found, str) else None
