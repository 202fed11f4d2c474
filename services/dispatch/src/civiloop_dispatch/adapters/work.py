"""The fairness ledger: one line per order and volunteer or team, with its hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_contracts.values import UnitRef
from civiloop_dispatch.domain.candidates import Candidate

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
