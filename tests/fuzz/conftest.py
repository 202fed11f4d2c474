"""The ``services`` fixture: the five services, started on demand, once for this package."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fuzz.stack import Services


@pytest.fixture(scope="package")
def services(infra: Any) -> Iterator[Services]:
    """The services on the session's Kafka and MongoDB; stopped, databases dropped, when the
    package's tests end (requests, volunteers and feedback consumer groups have fixed names:
    left running, they would take partitions from the services later tests start)."""
    started = Services(infra)
    try:
        yield started
    finally:
        started.stop()
