"""The dispatch database's indexes: the matcher's, the timers', the console's, the ledger's."""

from __future__ import annotations

from pymongo import ASCENDING

from civiloop_dispatch.adapters.candidates import CANDIDATES, ensure_candidate_indexes
from civiloop_dispatch.adapters.repositories import CASES, TIMERS, WORK
from civiloop_dispatch.adapters.timers import ensure_timer_indexes
from civiloop_platform.store.database import ServiceDatabase


async def ensure_indexes(database: ServiceDatabase) -> None:
    """Create every index dispatch reads by (idempotent)."""
    db = database.db
    await ensure_candidate_indexes(db[CANDIDATES])
    await ensure_timer_indexes(db[TIMERS])
    for field in ("need.unit.station", "need.unit.institute"):
        await db[CASES].create_index([("status", ASCENDING), ("level", ASCENDING),
                                      (field, ASCENDING), ("updated_at", ASCENDING)])
    await db[CASES].create_index([("status", ASCENDING), ("level", ASCENDING),
                                  ("updated_at", ASCENDING)], name="queue")
    await db[WORK].create_index([("at", ASCENDING), ("kind", ASCENDING)], name="period")
