"""Shared fixtures: ``infra`` gives every integration test a real Kafka and MongoDB."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from civiloop_devstack.testinfra import Endpoints, choose


@pytest.fixture(scope="session")
def infra(request: pytest.FixtureRequest) -> Iterator[Endpoints]:
    """Kafka + MongoDB for the session: env addresses, else Docker, else local processes.

    Lazy: nothing starts unless a test asks for ``infra``; what was started stops at the end.
    """
    started = time.monotonic()
    with choose() as endpoints:
        cold = (f", Kafka ready {endpoints.kafka_start_s:.1f}s after start"
                if endpoints.kafka_start_s is not None else "")
        line = (f"civiloop test infra: {endpoints.source}; kafka={endpoints.kafka_bootstrap} "
                f"mongo={endpoints.mongo_url} (up in {time.monotonic() - started:.1f}s{cold})")
        _announce(request.config, line)
        yield endpoints
        if endpoints.source == "environment":  # local processes and containers go whole
            _drop_left_databases(endpoints.mongo_url)


def _drop_left_databases(mongo_url: str) -> None:
    """Drop the databases the tests left (tests.support.drop_when_done), nothing else."""
    from pymongo import MongoClient

    from tests.support import LEFT_DATABASES

    mongo: MongoClient[dict[str, object]]
    with MongoClient(mongo_url) as mongo:
        for name in sorted(LEFT_DATABASES):
            mongo.drop_database(name)


def _announce(config: pytest.Config, line: str) -> None:
    """Write ``line`` to the terminal past output capture, so CI logs say what ran."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses ``infra`` as ``integration`` (so `-m "not integration"` works)."""
    for item in items:
        if "infra" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)
