"""Event models: constraints that make bad events fail, keys, topics and nullability."""

from __future__ import annotations

import types
import typing
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from civiloop_contracts import CATALOGUE, REGISTRY, Payload
from civiloop_contracts.events.dispatch import OrderDispatched
from civiloop_contracts.events.service import ServiceCompleted
from civiloop_contracts.values import TimeWindow, UnitLevel, UnitRef
from tests.contracts.conftest import load_golden

MODELS = sorted(REGISTRY.published().items())


def _data(event_type: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_golden(event_type)["data"]
    return data | changes


def _fails_on(model: type[Payload], data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    assert field in {".".join(str(p) for p in e["loc"]) for e in caught.value.errors()}


@pytest.mark.parametrize(("event_type", "field", "value"), [
    ("civiloop.FeedbackGiven", "stars", 0),
    ("civiloop.RatingSubmitted", "stars", 6),
    ("civiloop.OrderPlaced", "audience_size", 0),
    ("civiloop.OrderPlaced", "platform", "astrology"),
    ("civiloop.OrderPlaced", "order_id", ""),
    ("civiloop.OrderPlaced", "need", "x" * 1001),
    ("civiloop.ServiceCompleted", "people_served", 0),
    ("civiloop.HonourAwarded", "title", "best_neighbour"),
    ("civiloop.OrderDeclined", "reason", "bored"),
])
def test_out_of_range_field_is_named(event_type: str, field: str, value: Any) -> None:
    _fails_on(REGISTRY.model_for(event_type), _data(event_type, **{field: value}), field)


def test_hours_are_bounded_and_once_per_volunteer() -> None:
    bad = _data("civiloop.ServiceCompleted", hours=[{"volunteer_id": "v1", "hours": 25}])
    _fails_on(ServiceCompleted, bad, "hours.0.hours")
    twice = [{"volunteer_id": "v1", "hours": 1}, {"volunteer_id": "v1", "hours": 2}]
    _fails_on(ServiceCompleted, _data("civiloop.ServiceCompleted", hours=twice), "hours")


def test_dispatch_needs_an_assignee() -> None:
    data = _data("civiloop.OrderDispatched", team_ids=[], volunteer_ids=[])
    with pytest.raises(ValidationError, match="at least one team or volunteer"):
        OrderDispatched.model_validate(data)


def test_unit_levels_and_time_window() -> None:
    assert UnitRef(centre="kunqu", institute="kunhe").level is UnitLevel.INSTITUTE
    with pytest.raises(ValidationError, match="set institute too"):
        UnitRef(centre="kunqu", station="wanhe")
    now = datetime(2025, 5, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="end must be after start"):
        TimeWindow(start=now, end=now)
    with pytest.raises(ValidationError, match="timezone"):
        TimeWindow(start=datetime(2025, 5, 1), end=datetime(2025, 5, 2))


@pytest.mark.parametrize(("event_type", "model"), MODELS)
def test_key_is_an_aggregate_id_field(event_type: str, model: type[Payload]) -> None:
    assert model.key_field in model.model_fields
    assert model.key_field.endswith("_id"), f"{event_type} keyed by {model.key_field}"
    payload = model.model_validate(load_golden(event_type)["data"])
    assert payload.partition_key() == load_golden(event_type)["partitionkey"]


@pytest.mark.parametrize(("event_type", "model"), MODELS)
def test_topic_is_in_the_catalogue(event_type: str, model: type[Payload]) -> None:
    assert model.topic in {t.name for t in CATALOGUE}, event_type


@pytest.mark.parametrize(("event_type", "model"), MODELS)
def test_nullable_fields_default_to_none(event_type: str, model: type[Payload]) -> None:
    # The envelope leaves None out of the JSON, so a nullable field must not be required.
    for name, field in model.model_fields.items():
        nullable = type(None) in typing.get_args(field.annotation) and isinstance(
            field.annotation, types.UnionType)
        assert not (nullable and field.is_required()), f"{event_type}.{name}"

