"""Shared fixtures: the committed golden samples and where the contract files live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import civiloop_contracts  # noqa: F401  (registers every event type)

GOLDEN_DIR = Path(__file__).parent / "golden"


def load_golden(name: str) -> dict[str, Any]:
    """A committed golden envelope as a dict, e.g. ``civiloop.OrderPlaced``."""
    data: dict[str, Any] = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def golden_names() -> list[str]:
    """The event types that have a golden sample at their current version."""
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.json"))


@pytest.fixture
def order_placed() -> dict[str, Any]:
    """A valid OrderPlaced envelope to break in tests."""
    return load_golden("civiloop.OrderPlaced")
