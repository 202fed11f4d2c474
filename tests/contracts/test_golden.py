"""Golden samples pin each event's JSON: they decode, validate and re-encode unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from civiloop_contracts import REGISTRY, decode
from civiloop_contracts.schemagen import SCHEMA_DIR
from tests.contracts.conftest import GOLDEN_DIR, golden_names, load_golden


def test_every_registered_type_has_a_golden_sample() -> None:
    assert set(golden_names()) == set(REGISTRY.published())


@pytest.mark.parametrize("name", golden_names())
def test_golden_decodes_and_reencodes_to_the_same_json(name: str) -> None:
    raw = (GOLDEN_DIR / f"{name}.json").read_bytes()
    envelope = decode(raw)
    payload = REGISTRY.parse(envelope)
    assert envelope.type == name == payload.event_type()
    assert envelope.schemaversion == payload.schema_version
    again = envelope.model_copy(update={"data": payload.model_dump(mode="json")})
    assert json.loads(again.to_json()) == json.loads(raw)


@pytest.mark.parametrize("name", golden_names())
def test_golden_data_meets_the_committed_schema(name: str) -> None:
    golden = load_golden(name)
    schema = json.loads((SCHEMA_DIR / name / f"{golden['schemaversion']}.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(golden["data"])
    envelope = json.loads((SCHEMA_DIR / "envelope" / "1.0.json").read_text())
    jsonschema.Draft202012Validator(envelope).validate(golden)


@pytest.mark.parametrize("path", sorted((GOLDEN_DIR / "binary").glob("*.json")),
                         ids=lambda p: p.stem)
def test_a_binary_mode_golden_reads_as_its_structured_twin(path: Path) -> None:
    sample = json.loads(path.read_text(encoding="utf-8"))
    headers = [(name, text.encode()) for name, text in sample["headers"].items()]
    binary = decode(json.dumps(sample["value"], ensure_ascii=False).encode(), headers,
                    key=sample["key"].encode())
    assert binary == decode((GOLDEN_DIR / f"{path.stem}.json").read_bytes())
