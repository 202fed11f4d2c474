"""The stats service's promises about its own shape: handlers, definitions and their docs."""

from __future__ import annotations

import re
from pathlib import Path

from civiloop_contracts.payload import REGISTRY
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_stats.app.handlers import HANDLERS
from civiloop_stats.domain.definitions import FIGURES
from civiloop_stats.entrypoints.subscriptions import TOPICS

DOC = Path(__file__).resolve().parents[3] / "docs" / "services" / "stats.md"


def test_every_event_of_the_loop_has_a_handler() -> None:
    """Every contract event on the topics stats reads is recorded (none silently dropped)."""
    published = {m for m in REGISTRY.models.values() if m.topic in TOPICS}
    ignored = {name for name in ("ServiceCheckedIn", "ServiceCheckedOut", "OrderDeclined",
                                 "OrderWithdrawn", "OrderDuplicateLinked")}
    assert {m.__name__ for m in published - set(HANDLERS)} == ignored
    assert all(m.topic != STATION_INTAKE for m in HANDLERS)


def test_every_figure_is_defined_once_and_documented_as_in_code() -> None:
    keys = [f.key for f in FIGURES]
    assert len(keys) == len(set(keys))
    text = DOC.read_text(encoding="utf-8")
    for figure in FIGURES:
        row = re.search(rf"^\| `{figure.key}` \|(.+)$", text, re.MULTILINE)
        assert row, f"{figure.key} is missing from {DOC.name}"
        assert figure.definition in row.group(1), f"{figure.key}: docs differ from the code"
