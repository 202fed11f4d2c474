"""A service's own background loops run with its runtime, show in readiness and stop with it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from civiloop_platform.runtime import Runtime, ServiceSpec
from civiloop_platform.settings import ServiceSettings

pytestmark = pytest.mark.integration


async def test_a_background_loop_runs_until_the_runtime_stops(infra: Any) -> None:
    ticked = asyncio.Event()

    async def ticker(runtime: Runtime) -> None:
        while not runtime.stopping.is_set():
            ticked.set()
            await asyncio.sleep(0.05)

    settings = ServiceSettings(service_name="probe", civiloop_env="test",
                               kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                               mongo_db=f"civiloop_test_bg_{uuid.uuid4().hex[:8]}")
    runtime = Runtime(ServiceSpec(settings=settings, background={"ticker": ticker}))
    await runtime.start()
    try:
        await asyncio.wait_for(ticked.wait(), 30)
        assert (await runtime.readiness())["ticker"] is True
    finally:
        await runtime.database.client.drop_database(settings.database)
        await runtime.stop()
    assert runtime.tasks["ticker"].done()
    assert not runtime.tasks["ticker"].cancelled()  # it left by itself when asked
