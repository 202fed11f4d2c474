"""The stats service's promises about its own shape: handlers, definitions and their docs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from civiloop_contracts.payload import REGISTRY
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_stats.adapters.snapshot import order_facts
from civiloop_stats.app.handlers import HANDLERS
from civiloop_stats.domain.definitions import FIGURES
from civiloop_stats.entrypoints.subscriptions import TOPICS

DOC = Path(__file__).resolve().parents[3] / "docs" / "services" / "stats.md"


def test_every_event_of_the_loop_has_a_handler() -> None:
    """Every contract event on the topics stats reads is recorded (none silently dropped)."""
    published = {m for m in REGISTRY.models.values() if m.topic in TOPICS}
    # The order's life is requests' timeline (OrderStepRecorded): the reports requests
    # decides on, and requests' own announcements of the same steps, are not counted again.
    reports = ("OrderDispatched", "OrderRedispatched", "OrderWithdrawn", "OrderEscalated",
               "OrderUnassignable", "OrderAccepted", "OrderDeclined", "ServiceCheckedIn",
               "ServiceCheckedOut", "RatingLapsed")
    announced = ("OrderCancelled", "OrderClosed", "OrderReopened", "OrderDuplicateLinked")
    # An activity counts once held (ActivityHeld): planning and sign-ups are no figure yet.
    before_held = ("ActivityPlanned", "ActivityPublished", "ActivitySignedUp",
                   "ActivitySignUpCancelled", "ActivityCancelled")
    ignored = set(reports + announced + before_held)
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


def test_a_changed_rating_counts_with_its_highest_revision_whatever_the_order() -> None:
    at = datetime(2025, 5, 3, tzinfo=UTC)
    doc = {"_id": "o-1", "rated_at": at, "stars": 2,
           "star_changes": [{"at": at, "value": 5, "revision": 3},
                            {"at": at, "value": 4, "revision": 2}]}
    assert order_facts(doc).stars == 5
    assert order_facts({"_id": "o-2", "rated_at": at, "stars": 2}).stars == 2
