"""The ``services`` fixture: the five services, started on demand, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fuzz.stack import Services


@pytest.fixture(scope="session")
def services(infra: Any) -> Iterator[Services]:
    """The services on the session's Kafka and MongoDB; stopped, databases dropped, at the end."""
    started = Services(infra)
    try:
        yield started
    finally:
        started.stop()
