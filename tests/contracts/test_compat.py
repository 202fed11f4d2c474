"""The compatibility checker: it rejects each kind of break and accepts an added optional field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from civiloop_contracts.compat import breaking_changes

BASE: dict[str, Any] = {
    "type": "object",
    "$defs": {"Level": {"type": "string", "enum": ["station", "institute", "centre"]}},
    "properties": {
        "order_id": {"type": "string", "maxLength": 64},
        "stars": {"type": "integer", "minimum": 1, "maximum": 5},
        "level": {"$ref": "#/$defs/Level"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "hours": {"type": "array", "items": {"type": "number", "minimum": 0}},
    },
    "required": ["order_id", "stars"],
}


def _changed(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    edit(new)
    return new


def test_identical_and_added_optional_field_are_compatible() -> None:
    assert breaking_changes(BASE, copy.deepcopy(BASE)) == []
    added = _changed(lambda s: s["properties"].update(channel={"type": "string"}))
    assert breaking_changes(BASE, added) == []


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda s: s["properties"].pop("note"), "note: property removed"),
    (lambda s: s["required"].append("note"), "note: newly required"),
    (lambda s: s["properties"].update(channel={"type": "string"}) or s["required"].append(
        "channel"), "channel: newly required"),
    (lambda s: s["required"].remove("stars"), "stars: no longer required"),
    (lambda s: s["properties"]["stars"].update(type="string"), "stars: type \"integer\" no longer"),
    (lambda s: s["properties"].update(note={"type": "string"}), "note: type \"null\" no longer"),
    (lambda s: s["properties"].update(order_id={"anyOf": [{"type": "string"}, {"type": "null"}]}),
     "order_id: type \"null\" newly allowed"),
    (lambda s: s["$defs"]["Level"]["enum"].remove("centre"), "level: enum value 'centre' removed"),
    (lambda s: s["$defs"]["Level"]["enum"].append("province"),
     "level: enum value 'province' added"),
    (lambda s: s["properties"]["stars"].update(maximum=4), "stars: maximum changed from 5 to 4"),
    (lambda s: s["properties"]["order_id"].pop("maxLength"), "order_id: maxLength changed"),
    (lambda s: s["properties"]["hours"]["items"].update(type="integer"), "hours[]: type"),
    (lambda s: s["properties"]["hours"]["items"].update(minimum=1), "hours[]: minimum changed"),
    (lambda s: s.update(additionalProperties=False), "(root): additionalProperties closed"),
])
def test_each_kind_of_break_is_reported(edit: Any, expected: str) -> None:
    breaks = breaking_changes(BASE, _changed(edit))
    assert any(b.startswith(expected) for b in breaks), breaks


def test_new_property_breaks_an_old_reader_that_forbids_extras() -> None:
    closed = _changed(lambda s: s.update(additionalProperties=False))
    added = _changed(lambda s: s.update(additionalProperties=False)
                     or s["properties"].update(channel={"type": "string"}))
    assert breaking_changes(closed, added) == [
        "channel: added but old readers forbid extra properties"]
