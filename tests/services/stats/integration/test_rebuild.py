"""Rebuild by replay: the CLI rebuilds every read model from the topics; figures stay equal."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from civiloop_contracts.codec import encode
from civiloop_contracts.events.volunteers import VolunteerRegistered
from civiloop_contracts.payload import make_event
from civiloop_platform.kafka.producer import Outgoing
from civiloop_stats.adapters.replay import Record, TopicReader
from civiloop_stats.app.rebuild import rebuild
from civiloop_stats.entrypoints.subscriptions import TOPICS
from tests.services.stats.integration.conftest import StatsService
from tests.services.stats.stream import MAY_5, MAY_31, day
from tests.support import eventually, started_producer

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


class _ArrivesMidway(TopicReader):
    """A reader that, once the rebuild has fixed its end offsets, lets a new event arrive and
    waits until the live consumer has applied it to the live (about to be replaced) models."""

    def __init__(self, stats: StatsService, bootstrap: str) -> None:
        super().__init__(bootstrap, TOPICS)
        self.stats, self.sent = stats, False

    async def records(self) -> AsyncIterator[Record]:
        if not self.sent:
            self.sent = True
            await _register_late_volunteer(self.stats, self.bootstrap)
            await eventually(lambda: _late_volunteers(self.stats, 4))
        async for record in super().records():
            yield record


async def _register_late_volunteer(stats: StatsService, bootstrap: str) -> None:
    d = stats.district
    payload = VolunteerRegistered(volunteer_id=f"late-{d.suffix}", display_name="赵*",
                                  unit=d.ref(d.wanhe))
    record = encode(make_event(payload, source="/test/stats", time=day(300)))
    async with started_producer(bootstrap, "stats-tests-late") as producer:
        await producer.send_all([Outgoing(payload.topic, record.key, record.value,
                                          record.headers)])


async def _late_volunteers(stats: StatsService, want: int) -> bool:
    async with httpx.AsyncClient(base_url=stats.url, headers=stats.admin) as client:
        reply = await client.get("/api/v1/stats/figures", params={
            "unit": stats.district.wanhe, "as_of": "2026-12-31"})
    return bool(reply.json()["figures"]["registered_volunteers"] == want)


async def test_an_event_applied_live_during_a_rebuild_is_not_lost(
        stats: StatsService, infra: Any) -> None:
    assert await _late_volunteers(stats, 3)
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongo_url)
    try:
        midway = _ArrivesMidway(stats, infra.kafka_bootstrap)
        async with midway as reader:
            counts = await rebuild(mongo[stats.settings.database], reader)
    finally:
        await mongo.close()
    assert midway.sent
    assert counts.applied > 0
    # Replayed after the swap (the drain): the live consumer had put it in the old models.
    assert await _late_volunteers(stats, 4)
