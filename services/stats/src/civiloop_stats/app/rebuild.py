"""Rebuild by replay: every topic from the beginning into fresh collections, then swap them in.

The handlers are the live ones; their updates are idempotent and commutative, so the
rebuilt read models equal the live ones, and events the live consumer applies while the
rebuild runs are replayed once more after the swap (a drain) and so are never lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.codec import decode
from civiloop_contracts.payload import REGISTRY, ContractError
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Received
from civiloop_stats.adapters.read_models import PROJECTIONS, ReadModels, ensure_indexes
from civiloop_stats.adapters.replay import Record, TopicReader
from civiloop_stats.app.handlers import HANDLERS

log = get_logger(__name__)
Progress = Callable[[int], None]


@dataclass
class Replayed:
    """What a replay did: records read, events applied, records skipped (bad or not ours)."""

    read: int = 0
    applied: int = 0
    skipped: int = 0


@dataclass
class Generation:
    """A set of read models under one collection-name prefix ("" is the live one)."""

    models: ReadModels


def fresh_prefix() -> str:
    """A collection-name prefix no other rebuild uses."""
    return f"rebuild_{uuid.uuid4().hex[:8]}_"


async def apply_record(record: Record, models: ReadModels, counts: Replayed) -> None:
    """Apply one record with the live handlers; skip what the live consumer would not apply."""
    counts.read += 1
    try:
        envelope = decode(record.value, record.headers, key=record.key)
        model = REGISTRY.models.get(envelope.type)
        if model not in HANDLERS:
            counts.skipped += 1
            return
        received: Received[Any] = Received(REGISTRY.parse(envelope), envelope)
    except ContractError as exc:  # the live consumer dead-lettered it: it counts nowhere
        log.warning("replay skipped a bad record", topic=record.topic, reason=exc.reason)
        counts.skipped += 1
        return
    await HANDLERS[model](received, Generation(models))
    counts.applied += 1


async def replay(reader: TopicReader, models: ReadModels, counts: Replayed,
                 progress: Progress | None = None) -> None:
    """Apply every record up to the reader's last mark."""
    async for record in reader.records():
        await apply_record(record, models, counts)
        if progress is not None:
            progress(1)


async def swap_in(db: AsyncDatabase[Any], prefix: str) -> None:
    """Replace each live read model by its rebuilt twin (an absent twin means empty)."""
    existing = set(await db.list_collection_names())
    for name in PROJECTIONS:
        if prefix + name in existing:
            await db[prefix + name].rename(name, dropTarget=True)
        else:
            await db[name].drop()
    await ensure_indexes(db)


async def drop_generation(db: AsyncDatabase[Any], prefix: str) -> None:
    """Drop every collection of a (failed or compared) rebuild."""
    for name in PROJECTIONS:
        await db[prefix + name].drop()


async def rebuild(db: AsyncDatabase[Any], reader: TopicReader, *,
                  started: Callable[[int], None] | None = None,
                  progress: Progress | None = None) -> Replayed:
    """Replay everything into fresh collections, swap them in, then drain what came meanwhile."""
    prefix, counts = fresh_prefix(), Replayed()
    await ensure_indexes(db, prefix)
    try:
        total = await reader.mark()
        if started is not None:
            started(total)
        await replay(reader, ReadModels(db, None, prefix), counts, progress)
    except BaseException:
        await drop_generation(db, prefix)
        raise
    await swap_in(db, prefix)
    await reader.mark()
    await replay(reader, ReadModels(db, None), counts)
    return counts
