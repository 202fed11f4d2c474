"""Old events still load: ServiceCompleted 1.0 (same hours for all) upcast to 2.0."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from civiloop_contracts import REGISTRY, ContractError, Envelope
from civiloop_contracts.events.service import ServiceCompleted, VolunteerHours
from civiloop_contracts.events.volunteers import HonourAwarded
from civiloop_contracts.schemagen import SCHEMA_DIR
from tests.contracts.conftest import GOLDEN_DIR


def _legacy() -> dict[str, Any]:
    path = GOLDEN_DIR / "legacy" / "civiloop.ServiceCompleted.1.0.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _schema(version: str) -> dict[str, Any]:
    path = SCHEMA_DIR / "civiloop.ServiceCompleted" / f"{version}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_v1_envelope_decodes_into_the_v2_model() -> None:
    legacy = _legacy()
    jsonschema.Draft202012Validator(_schema("1.0")).validate(legacy["data"])
    payload = REGISTRY.parse(Envelope.model_validate(legacy))
    assert isinstance(payload, ServiceCompleted)
    assert payload.hours == [VolunteerHours(volunteer_id="vol-1001", hours=2.5),
                             VolunteerHours(volunteer_id="vol-1002", hours=2.5)]
    assert payload.people_served == 38
    jsonschema.Draft202012Validator(_schema("2.0")).validate(payload.model_dump(mode="json"))


def test_v1_with_bad_hours_fails_naming_the_v2_field() -> None:
    legacy = _legacy()
    legacy["data"]["hours_each"] = -1
    with pytest.raises(ContractError, match=r"data\.hours\.0\.hours"):
        REGISTRY.parse(Envelope.model_validate(legacy))


def test_a_major_without_upcaster_is_refused() -> None:
    legacy = _legacy() | {"type": "civiloop.OrderClosed", "schemaversion": "0.9"}
    with pytest.raises(ContractError, match=r"no upcaster for civiloop\.OrderClosed v0"):
        REGISTRY.parse(Envelope.model_validate(legacy))


def test_honour_awarded_v1_reads_as_v2_with_no_kind_or_district_title() -> None:
    path = GOLDEN_DIR / "legacy" / "civiloop.HonourAwarded.1.0.json"
    legacy = json.loads(path.read_text(encoding="utf-8"))
    payload = REGISTRY.parse(Envelope.model_validate(legacy))
    assert isinstance(payload, HonourAwarded)
    assert (payload.title.value, payload.lei_feng_kind, payload.district_title) == (
        "good_person", None, None)
    legacy["data"]["title"] = "district"  # v1 never had it: refused, naming the field
    with pytest.raises(ContractError, match=r"district_title"):
        REGISTRY.parse(Envelope.model_validate(legacy))
