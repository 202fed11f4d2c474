"""Dispatch's repositories in MongoDB: cases (one versioned document per order, in the
platform's VersionedStore) and the fairness ledger (one line per order and candidate).

Saving a case also keeps its accept-deadline timer in the ``timers`` collection, in the same
transaction: an offer in force has exactly one pending timer; any other timer of the order
is settled. So a timer can never outlive its offer, nor an offer lack its timer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.values import UnitRef
from civiloop_dispatch.domain.candidates import Candidate
from civiloop_dispatch.domain.case import Case, CaseStatus
from civiloop_platform.store.versioned import VersionedStore

CASES, TIMERS = "cases", "timers"


def _in_force(case: Case) -> str | None:
    """The assignment id of the case's offer in force, if it has one."""
    return case.offer.assignment_id if case.status is CaseStatus.OFFERED and case.offer else None


class MongoCases(VersionedStore[Case]):
    """Cases read and written inside one transaction's session."""

    model, id_field = Case, "order_id"

    def __init__(self, db: AsyncDatabase[Any], session: AsyncClientSession) -> None:
        super().__init__(db[CASES], session)
        self.timers = db[TIMERS]
        # The offer in force (its assignment id) as last read or written: a save that keeps
        # it has no timer to change, and writes none.
        self._offers: dict[str, str | None] = {}

    async def get(self, order_id: str) -> Case | None:
        """The case, or None; remembers the version and the offer in force read."""
        case = await super().get(order_id)
        if case is not None:
            self._offers[order_id] = _in_force(case)
        return case

    async def add(self, case: Case) -> bool:  # type: ignore[override]
        """Store a new case at version 1; False when the order has one (a republished event)."""
        if not await self.add_if_absent(case):
            return False
        self._offers[case.order_id] = None  # a new case: no timer of the order exists yet
        await self._sync_timer(case)
        return True

    async def save(self, case: Case) -> None:
        """Write back a case read with ``get`` or ``add`` (Stale if it changed meanwhile),
        and schedule or settle its deadline timer."""
        await super().save(case)
        await self._sync_timer(case)

    async def _sync_timer(self, case: Case) -> None:
        offer = case.offer if case.status is CaseStatus.OFFERED else None
        keep = offer.assignment_id if offer else None
        known, before = case.order_id in self._offers, self._offers.get(case.order_id)
        if known and before == keep:
            return  # the same offer (or none) as stored: its timer is as it should be
        self._offers[case.order_id] = keep
        if not known or before is not None:  # only an offer in force has a pending timer
            await self.timers.update_many(
                {"order_id": case.order_id, "state": "pending", "_id": {"$ne": keep}},
                {"$set": {"state": "settled", "settled_at": case.updated_at}},
                session=self.session)
        if offer is not None:
            await self.timers.update_one(
                {"_id": offer.assignment_id},
                {"$setOnInsert": {"order_id": case.order_id, "due_at": offer.deadline,
                                  "state": "pending", "lease_until": None, "owner": None}},
                upsert=True, session=self.session)


WORK = "work"


def _line(order_id: str, candidate: Candidate, unit: UnitRef) -> dict[str, Any]:
    return {"order_id": order_id, "key": candidate.key, "ref": candidate.ref,
            "kind": candidate.kind.value, "home": candidate.home.model_dump(),
            "unit": unit.model_dump()}


class MongoWork:
    """Ledger lines keyed by (order, candidate): a repeated report rewrites, never adds."""

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session

    async def assigned(self, order_id: str, candidate: Candidate, unit: UnitRef,
                       at: datetime) -> None:
        """Record that ``candidate`` took the order."""
        await self.collection.update_one(
            {"_id": f"{order_id}|{candidate.key}"},
            {"$set": {**_line(order_id, candidate, unit), "assigned": True, "at": at},
             "$setOnInsert": {"hours": 0.0}}, upsert=True, session=self.session)

    async def hours(self, order_id: str, candidate: Candidate, hours: float, unit: UnitRef,
                    at: datetime) -> None:
        """Set the hours ``candidate`` gave to the order (served in a team: not an assignment)."""
        await self.collection.update_one(
            {"_id": f"{order_id}|{candidate.key}"},
            {"$set": {**_line(order_id, candidate, unit), "hours": hours},
             "$setOnInsert": {"assigned": False, "at": at}}, upsert=True, session=self.session)
