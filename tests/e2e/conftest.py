"""End-to-end fixtures: every service as its own process on real Kafka and MongoDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.stack import Stack, running_stack

LOGS = Path(__file__).resolve().parents[2] / ".local" / "test-output" / "e2e"


@pytest.fixture(scope="module")
def stack(infra: Any) -> Iterator[Stack]:
    """The five services, started for this module (logs under .local/test-output/e2e)."""
    with running_stack(infra.kafka_bootstrap, infra.mongo_url, LOGS) as running:
        yield running
