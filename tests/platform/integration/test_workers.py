"""A service's own workers run beside its loops, show in readiness and stop with the runtime."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from civiloop_platform.runtime import Runtime, ServiceSpec
from civiloop_platform.settings import ServiceSettings
from tests.support import drop_when_done

pytestmark = pytest.mark.integration


async def test_a_worker_runs_is_checked_for_readiness_and_stops(infra: Any) -> None:
    settings = ServiceSettings(service_name="workers-probe", civiloop_env="test",
                               kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                               mongo_db=f"civiloop_test_workers_{uuid.uuid4().hex[:8]}")
    started, finished = asyncio.Event(), asyncio.Event()

    async def worker(runtime: Runtime) -> None:
        started.set()
        await runtime.stopping.wait()
        finished.set()

    runtime = Runtime(ServiceSpec(settings=settings, workers={"sweeper": worker}))
    await runtime.start()
    try:
        await asyncio.wait_for(started.wait(), 30)
        assert (await runtime.readiness())["worker:sweeper"] is True
    finally:
        await runtime.stop()
        drop_when_done(settings.database)
    assert finished.is_set()
