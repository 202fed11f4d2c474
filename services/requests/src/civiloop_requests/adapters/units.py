"""The units tree in MongoDB: one document per unit, keyed by its code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_requests.domain.units import Unit

COLLECTION = "units"


def _unit(document: dict[str, Any]) -> Unit:
    return Unit.model_validate({**document, "code": document["_id"]})


class MongoUnits:
    """Units of the tree, read and written on the transaction's session."""

    def __init__(self, collection: AsyncCollection[Any],
                 session: AsyncClientSession | None = None) -> None:
        self.collection, self.session = collection, session

    async def of(self, codes: Iterable[str | None]) -> dict[str, Unit]:
        """The units among ``codes`` that are in the tree, by code."""
        wanted = sorted({c for c in codes if c is not None})
        cursor = self.collection.find({"_id": {"$in": wanted}}, session=self.session)
        return {d["_id"]: _unit(d) async for d in cursor}

    async def all(self) -> list[Unit]:
        """Every unit (a district has a few hundred at most), by code."""
        cursor = self.collection.find({}, session=self.session).sort("_id")
        return [_unit(d) async for d in cursor]

    async def put(self, unit: Unit) -> None:
        """Create or replace ``unit``."""
        document = unit.model_dump(mode="json", exclude={"code"})
        await self.collection.replace_one({"_id": unit.code}, document, upsert=True,
                                          session=self.session)
