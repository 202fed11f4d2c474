"""Rebuild by replay: the CLI rebuilds every read model from the topics; figures stay equal."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from tests.services.stats.integration.conftest import StatsService
from tests.services.stats.stream import MAY_5, MAY_31

pytestmark = pytest.mark.integration
TABLES = ["figures", "units", "platforms", "categories", "trend", "honours", "honour-board",
          "star-levels", "survey-demand"]


async def _everything(stats: StatsService) -> dict[str, Any]:
    """Every table of every unit of the test district, as of two dates."""
    d, seen = stats.district, {}
    async with httpx.AsyncClient(base_url=stats.url, headers=stats.admin, timeout=60) as client:
        for unit in (d.centre, d.kunhe, d.shaoxian, d.wanhe, d.hedong, d.sanxing):
            for as_of in (MAY_5, "2025-12-31"):
                for table in TABLES:
                    reply = await client.get(f"/api/v1/stats/tables/{table}", params={
                        "unit": unit, "as_of": as_of, "since": "2025-01-01"})
                    assert reply.status_code == 200, reply.text
                    seen[f"{unit} {as_of} {table}"] = reply.json()["rows"]
    return seen


async def test_a_rebuild_from_the_topics_equals_the_live_read_models(
        stats: StatsService, infra: Any) -> None:
    live = await _everything(stats)
    database = stats.settings.database
    # Spoil the live read models: only a replay from Kafka can bring these figures back.
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongo_url)
    try:
        await mongo[database]["orders"].delete_many({"place.centre": stats.district.centre})
        await mongo[database]["volunteers"].delete_many({})
        async with httpx.AsyncClient(base_url=stats.url, headers=stats.admin) as client:
            spoiled = await client.get("/api/v1/stats/figures", params={
                "unit": stats.district.centre, "as_of": MAY_31})
        assert spoiled.json()["figures"]["orders_placed"] == 0
        env = os.environ | {"KAFKA_BOOTSTRAP": infra.kafka_bootstrap, "MONGO_URL": infra.mongo_url,
                            "MONGO_DB": database, "CIVILOOP_ENV": "test"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "civiloop_stats", "rebuild", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), 240)
        assert process.returncode == 0, output.decode()
        assert "rebuilt:" in output.decode()
        assert await _everything(stats) == live
        names = await mongo[database].list_collection_names()
        assert not [n for n in names if n.startswith("rebuild_")]  # swapped in, none left over
    finally:
        await mongo.close()
