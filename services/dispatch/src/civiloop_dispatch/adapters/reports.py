"""Read models for the console: the dispatch queue and the fairness ledger, by unit scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING

from civiloop_contracts.values import UnitLevel
from civiloop_dispatch.adapters.candidates import CANDIDATES
from civiloop_dispatch.adapters.repositories import CASES, WORK
from civiloop_dispatch.domain.candidates import Kind
from civiloop_dispatch.domain.case import OPEN, Case
from civiloop_platform.auth.scope import Scope
from civiloop_platform.store.database import ServiceDatabase


async def queue(database: ServiceDatabase, *, level: UnitLevel | None, units: Scope,
                limit: int) -> list[Case]:
    """Open cases (waiting, offered, unassignable) in ``units``, oldest change first."""
    query: dict[str, Any] = {"status": {"$in": [s.value for s in OPEN]},
                             **units.match("need.unit")}
    if level is not None:
        query["level"] = level.value
    cursor = database.db[CASES].find(query).sort("updated_at", ASCENDING).limit(limit)
    return [Case.model_validate({k: v for k, v in doc.items() if k not in ("_id", "version")})
            async for doc in cursor]


async def work_by_candidate(database: ServiceDatabase, *, kind: Kind, since: datetime,
                            until: datetime, units: Scope) -> list[dict[str, Any]]:
    """Per volunteer or team: assignments taken and hours given in [since, until)."""
    match = {"kind": kind.value, "at": {"$gte": since, "$lt": until}, **units.match("unit")}
    pipeline: list[dict[str, Any]] = [
        {"$match": match},
        {"$group": {"_id": "$ref", "assignments": {"$sum": {"$cond": ["$assigned", 1, 0]}},
                    "hours": {"$sum": "$hours"}}},
        {"$sort": {"assignments": -1, "hours": -1, "_id": 1}},
    ]
    cursor = await database.db[WORK].aggregate(pipeline)
    return [doc async for doc in cursor]


async def registered(database: ServiceDatabase, *, kind: Kind, units: Scope) -> int:
    """Active volunteers or teams whose home is in ``units``: the population work is shared by."""
    return await database.db[CANDIDATES].count_documents(
        {"kind": kind.value, "active": True, **units.match("home")})
