"""Dispatch cases in MongoDB, one document per order, saved with an optimistic version check.

Saving a case also keeps its accept-deadline timer in the ``timers`` collection, in the same
transaction: an offer in force has exactly one pending timer; any other timer of the order
is settled. So a timer can never outlive its offer, nor an offer lack its timer.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from civiloop_dispatch.domain.case import Case, CaseStatus

CASES, TIMERS = "cases", "timers"
_VERSION = "version"


class StaleCase(Exception):
    """The case changed since it was loaded; the work is retried from a fresh read."""

    def __init__(self, order_id: str, version: int) -> None:
        super().__init__(f"case {order_id}: version {version} is no longer current")


def _in_force(case: Case) -> str | None:
    """The assignment id of the case's offer in force, if it has one."""
    return case.offer.assignment_id if case.status is CaseStatus.OFFERED and case.offer else None


def _document(case: Case, version: int) -> dict[str, Any]:
    return {"_id": case.order_id, **case.model_dump(mode="python"), _VERSION: version}


class MongoCases:
    """Cases read and written inside one transaction's session."""

    def __init__(self, db: AsyncDatabase[Any], session: AsyncClientSession) -> None:
        self.cases, self.timers, self.session = db[CASES], db[TIMERS], session
        self._versions: dict[str, int] = {}
        # The offer in force (its assignment id) as last read or written: a save that keeps
        # it has no timer to change, and writes none.
        self._offers: dict[str, str | None] = {}

    async def get(self, order_id: str) -> Case | None:
        """The case, or None; remembers the version read."""
        doc = await self.cases.find_one({"_id": order_id}, session=self.session)
        if doc is None:
            return None
        self._versions[order_id] = int(doc[_VERSION])
        case = Case.model_validate({k: v for k, v in doc.items() if k not in ("_id", _VERSION)})
        self._offers[order_id] = _in_force(case)
        return case

    async def add(self, case: Case) -> bool:
        """Store a new case at version 1; False when the order has one (a republished event)."""
        # Look first: a duplicate-key error inside a transaction aborts the whole transaction.
        if await self.cases.find_one({"_id": case.order_id}, {"_id": 1}, session=self.session):
            return False
        await self.cases.insert_one(_document(case, 1), session=self.session)
        self._versions[case.order_id] = 1
        self._offers[case.order_id] = None  # a new case: no timer of the order exists yet
        await self._sync_timer(case)
        return True

    async def save(self, case: Case) -> None:
        """Write back a case read with ``get`` or ``add``; StaleCase if it changed meanwhile."""
        version = self._versions[case.order_id]
        result = await self.cases.replace_one(
            {"_id": case.order_id, _VERSION: version}, _document(case, version + 1),
            session=self.session)
        if result.matched_count != 1:
            raise StaleCase(case.order_id, version)
        self._versions[case.order_id] = version + 1
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
