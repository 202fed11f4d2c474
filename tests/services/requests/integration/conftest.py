"""Integration fixtures of the requests service: one running service per test module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.services.requests.integration.service import RunningService, running_requests


@pytest.fixture(scope="module")
async def service(infra: Any) -> AsyncIterator[RunningService]:
    """The requests service on real Kafka and MongoDB, shared by one module's tests."""
    async with running_requests(infra) as running:
        yield running
