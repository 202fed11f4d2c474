"""The units tree, kept in the ``units`` collection (managed over HTTP, never replayed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.units import Population, Tree, Unit

COLLECTION = "units"


def _document(unit: Unit) -> dict[str, Any]:
    return {"_id": unit.code, "name": unit.name, "name_en": unit.name_en,
            "level": unit.level.value, "parent": unit.parent,
            "population": [{"since": p.since.isoformat(), "residents": p.residents}
                           for p in unit.population]}


def _unit(doc: dict[str, Any]) -> Unit:
    return Unit(code=doc["_id"], name=doc["name"], name_en=doc.get("name_en"),
                level=UnitLevel(doc["level"]), parent=doc.get("parent"),
                population=tuple(Population(date.fromisoformat(p["since"]), p["residents"])
                                 for p in doc.get("population", [])))


class MongoUnits:
    """Read and save units of the tree."""

    def __init__(self, db: AsyncDatabase[Any]) -> None:
        self.collection = db[COLLECTION]

    async def tree(self) -> Tree:
        """The whole tree (a district has a few hundred units at most)."""
        return Tree({d["_id"]: _unit(d) async for d in self.collection.find({})})

    async def save(self, unit: Unit) -> None:
        """Create or replace ``unit``."""
        await self.collection.replace_one({"_id": unit.code}, _document(unit), upsert=True)
