"""JSON Schemas of the envelope and of each event type at its current version (no I/O here)."""

from __future__ import annotations

from typing import Any

from civiloop_contracts.codec import REQUIRED
from civiloop_contracts.envelope import SPECVERSION, Envelope
from civiloop_contracts.payload import Payload

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_DIR = "envelope"


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for ``major.minor`` strings, so 1.10 comes after 1.9."""
    return tuple(int(part) for part in version.split("."))


def schema_relpath(event_type: str, version: str) -> str:
    """Where a schema lives under ``schemas/``, e.g. ``civiloop.OrderPlaced/1.0.json``."""
    return f"{event_type}/{version}.json"


def event_schema(model: type[Payload]) -> dict[str, Any]:
    """The JSON Schema of ``model``'s data at its current version, tagged with topic and key."""
    name = model.event_type()
    return {
        "$schema": DIALECT,
        "$id": f"urn:civiloop:schema:{name}:{model.schema_version}",
        **model.model_json_schema(mode="validation"),
        "x-civiloop-type": name,
        "x-civiloop-version": model.schema_version,
        "x-civiloop-topic": model.topic,
        "x-civiloop-key": model.key_field,
    }


def envelope_schema() -> dict[str, Any]:
    """The JSON Schema of a CloudEvent as a producer writes it (``data``: see each event).

    CloudEvents 1.0 requires specversion, id, source and type; we require data too. The
    envelope model also requires ``correlationid`` and ``partitionkey``, but the codec fills
    them when the wire leaves them out (see their descriptions), so the schema does not.
    """
    schema = Envelope.model_json_schema(mode="validation")
    schema["required"] = [*REQUIRED, "data"]
    return {"$schema": DIALECT, "$id": f"urn:civiloop:schema:envelope:{SPECVERSION}", **schema}
