"""The read models on real MongoDB: applying events again, or in another order, changes nothing."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from civiloop_contracts.payload import make_event
from civiloop_platform.messages import Received
from civiloop_platform.store.database import ServiceDatabase
from civiloop_stats.adapters.read_models import PROJECTIONS, ReadModels, ensure_indexes
from civiloop_stats.app.handlers import HANDLERS
from civiloop_stats.app.rebuild import Generation
from tests.services.stats.stream import District, known_stream
from tests.support import throwaway_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    """A stats database of this test's own, dropped afterwards."""
    async with throwaway_database(infra.mongo_url, "stats") as db:
        yield db


async def _apply(db: ServiceDatabase, prefix: str, events: list[Received[Any]]) -> None:
    models = ReadModels(db.db, None, prefix)
    await ensure_indexes(db.db, prefix)
    for event in events:  # a type without a handler is read and let go, as the consumer does
        if (handler := HANDLERS.get(type(event.payload))) is not None:
            await handler(event, Generation(models))


async def _contents(db: ServiceDatabase, prefix: str) -> dict[str, Any]:
    """Every document of every read model, with histories in a fixed order."""
    def norm(value: Any) -> Any:
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=repr)
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value

    return {name: sorted([norm(d) async for d in db.db[prefix + name].find({})],
                         key=lambda d: d["_id"]) for name in PROJECTIONS}


async def test_repeats_and_any_interleaving_give_the_same_read_models(
        database: ServiceDatabase) -> None:
    events = [Received(payload, make_event(payload, source="/test/stats", time=at))
              for payload, at in known_stream(District())]
    await _apply(database, "in_order_", events)
    # Any order at all (topics are not ordered with each other; updates commute anyway),
    # every event delivered twice, once under a new envelope id (a republish).
    interleaved = random.Random(7).sample(events, len(events))
    again = [Received(e.payload, make_event(e.payload, source="/test/stats", time=e.envelope.time))
             for e in interleaved]
    await _apply(database, "again_", [x for pair in zip(interleaved, again, strict=True)
                                      for x in pair])
    first, second = await _contents(database, "in_order_"), await _contents(database, "again_")
    assert first["orders"]
    assert first == second


@pytest.mark.parametrize("batch", [5, 1000])
async def test_merged_writes_of_a_batch_give_the_same_read_models(
        database: ServiceDatabase, batch: int) -> None:
    events = [Received(payload, make_event(payload, source="/test/stats", time=at))
              for payload, at in known_stream(District())]
    await _apply(database, "one_by_one_", events)
    # As the consumer applies a poll in one transaction: each document written once per batch.
    models = ReadModels(database.db, None, "merged_", deferred=True)
    await ensure_indexes(database.db, "merged_")
    shuffled = random.Random(11).sample(events, len(events))
    for start in range(0, len(shuffled), batch):
        for event in shuffled[start:start + batch]:
            if (handler := HANDLERS.get(type(event.payload))) is not None:
                await handler(event, Generation(models))
        await models.flush()
    merged = await _contents(database, "merged_")
    assert merged["orders"]
    assert merged == await _contents(database, "one_by_one_")
