"""The read models' writes: one document per natural key, updated so order and repeats don't matter.

Every update is idempotent and commutative: first times with ``$min``, values that only
come once with ``$set``, histories with ``$addToSet`` of (time, value). Applying the same
events again, or in another interleaving of topics, gives the same documents; that is what
makes a replay equal the live figures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.values import UnitRef

PROJECTIONS = ("orders", "volunteers", "teams", "organisations", "honours", "hours",
               "follow_ups", "surveys", "survey_answers", "units", "activities")
"""Collections rebuilt by replay (``unit_populations`` is set over HTTP and never replayed)."""


def moment(at: datetime) -> datetime:
    """``at`` in UTC to the millisecond, as MongoDB keeps it (so sets compare equal)."""
    at = at.astimezone(UTC)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def place(unit: UnitRef) -> dict[str, str | None]:
    """The stored form of a unit reference."""
    return {"centre": unit.centre, "institute": unit.institute, "station": unit.station}


class ReadModels:
    """The stats read models of one generation (``prefix``), written on one session.

    ``deferred``: the updates are kept and merged per document until ``flush``, so the
    events of one transaction that touch one document (an order's placing, timeline lines,
    completion and stars) write it once.
    """

    def __init__(self, db: AsyncDatabase[Any], session: AsyncClientSession | None,
                 prefix: str = "", *, deferred: bool = False) -> None:
        self.db, self.session, self.prefix = db, session, prefix
        self.deferred = deferred
        self._pending: dict[tuple[str, str], dict[str, Any]] = {}

    async def _upsert(self, name: str, key: str, update: dict[str, Any]) -> None:
        held = self._pending.get((name, key)) if self.deferred else None
        if held is not None and merge(held, update):
            return
        if held is not None:  # one field under two operators: write what is held first
            await self._write(name, key, self._pending.pop((name, key)))
        fresh: dict[str, Any] = {}
        if self.deferred and merge(fresh, update):
            self._pending[(name, key)] = fresh
        else:
            await self._write(name, key, update)

    async def flush(self) -> None:
        """Write the merged updates held back (deferred mode): one bulk write a collection,
        each in the order first seen (a poll of 100 registrations is one round trip)."""
        pending, self._pending = self._pending, {}
        writes: dict[str, list[UpdateOne]] = {}
        for (name, key), update in pending.items():
            writes.setdefault(name, []).append(UpdateOne({"_id": key}, update, upsert=True))
        for name, ops in writes.items():
            await self.db[self.prefix + name].bulk_write(ops, session=self.session)

    async def _write(self, name: str, key: str, update: dict[str, Any]) -> None:
        await self.db[self.prefix + name].update_one({"_id": key}, update, upsert=True,
                                                     session=self.session)

    async def order_placed(self, order_id: str, fields: dict[str, Any], at: datetime) -> None:
        """Record an order's dimensions and when it was placed."""
        await self._upsert("orders", order_id, {"$set": fields,
                                                "$min": {"placed_at": moment(at)}})

    async def order_values(self, order_id: str, **values: Any) -> None:
        """Set values of an order that come once (a rating's stars)."""
        await self._upsert("orders", order_id, {"$set": values})

    async def order_history(self, order_id: str, field: str, entry: Any) -> None:
        """Add ``entry`` to one of the order's histories (timeline lines, completions)."""
        await self._upsert("orders", order_id, {"$addToSet": {field: entry}})

    async def volunteer(self, volunteer_id: str, at: datetime, *, registered: bool = False,
                        unit: UnitRef | None = None, status: str | None = None,
                        stars: int | None = None) -> None:
        """Record a volunteer's registration and changes of unit, status or star level."""
        update: dict[str, Any] = {"$setOnInsert": {"kind": "volunteer"}}
        if registered:
            update["$min"] = {"registered_at": moment(at)}
        changes: dict[str, Any] = {}
        if unit is not None:
            changes["places"] = {"at": moment(at), "value": place(unit)}
        if status is not None:
            changes["statuses"] = {"at": moment(at), "value": status}
        if stars is not None:
            changes["stars"] = {"at": moment(at), "value": stars}
        if changes:
            update["$addToSet"] = changes
        await self._upsert("volunteers", volunteer_id, update)

    async def entity(self, name: str, key: str, fields: dict[str, Any],
                     first: dict[str, datetime] | None = None,
                     history: dict[str, tuple[datetime, Any]] | None = None) -> None:
        """Record a team, organisation, honour, follow-up or survey by its id."""
        update: dict[str, Any] = {"$setOnInsert": {"kind": name}}
        if fields:
            update["$set"] = fields
        if first:
            update["$min"] = {k: moment(v) for k, v in first.items()}
        if history:
            update["$addToSet"] = {k: {"at": moment(at), "value": value}
                                   for k, (at, value) in history.items()}
        await self._upsert(name, key, update)


MERGED = ("$set", "$setOnInsert", "$min", "$addToSet")


def merge(held: dict[str, Any], update: dict[str, Any]) -> bool:
    """Fold ``update`` into ``held`` as if it were applied after it; False, with ``held``
    untouched, when that cannot be said in one update (one field under two operators)."""
    if any(op not in MERGED for op in update):
        return False
    for op, fields in update.items():
        if any(set(fields) & set(other) for o, other in held.items() if o != op):
            return False
    for op, fields in update.items():
        into = held.setdefault(op, {})
        for field, value in fields.items():
            if op == "$set":  # the later value, as a second $set would leave it
                into[field] = value
            elif op == "$setOnInsert":  # only the first upsert inserts
                into.setdefault(field, value)
            elif op == "$min":
                into[field] = min(into[field], value) if field in into else value
            else:  # $addToSet: every entry, once
                entries = into.setdefault(field, {"$each": []})["$each"]
                each = value["$each"] if isinstance(value, dict) and "$each" in value else [value]
                entries.extend(v for v in each if v not in entries)
    return True


async def ensure_indexes(db: AsyncDatabase[Any], prefix: str = "") -> None:
    """Indexes the figure queries filter by (unit codes at each level)."""
    for name in ("orders", "teams", "organisations", "honours", "survey_answers", "activities"):
        for level in ("centre", "institute", "station"):
            await db[prefix + name].create_index([(f"place.{level}", ASCENDING)])
    for level in ("centre", "institute", "station"):
        await db[prefix + "volunteers"].create_index([(f"places.value.{level}", ASCENDING)])
    await db[prefix + "hours"].create_index([("order_id", ASCENDING)])
    await db[prefix + "hours"].create_index([("volunteer_id", ASCENDING)])
    await db[prefix + "follow_ups"].create_index([("order_id", ASCENDING)])
