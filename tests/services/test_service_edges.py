"""Every service starts on real Kafka and MongoDB and answers health, readiness and metrics."""

from __future__ import annotations

import asyncio
import importlib
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civiloop_platform.kafka.admin import ensure_topics
from tests.support import drop_when_done

SERVICES = ["requests", "dispatch", "volunteers", "feedback", "stats"]

pytestmark = pytest.mark.integration


def _ready_within(client: TestClient, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while (ready := client.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    return ready


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_is_live_ready_and_measured(name: str, infra: Any) -> None:
    settings_cls = importlib.import_module(f"civiloop_{name}.config").Settings
    build_app = importlib.import_module(f"civiloop_{name}.bootstrap").build_app
    settings = settings_cls(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                            mongo_db=f"civiloop_test_{name}_{uuid.uuid4().hex[:8]}",
                            civiloop_env="test", instance_id=f"test-{name}")
    asyncio.run(ensure_topics(infra.kafka_bootstrap, 3))  # what `make topics` does
    with TestClient(build_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "service": name}
        ready = _ready_within(client, 60)  # consumers need a moment to join their groups
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["mongodb"] is True
        metrics = client.get("/metrics")
        assert "civiloop_outbox_backlog" in metrics.text
        echoed = client.get("/healthz", headers={"X-Correlation-ID": "corr-123"})
        assert echoed.headers["X-Correlation-ID"] == "corr-123"
        assert client.get("/openapi.json").json()["info"]["title"] == f"civiloop {name}"
    drop_when_done(settings.database)
