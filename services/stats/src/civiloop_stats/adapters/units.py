"""The units tree: ``units`` follows requests' UnitDefined events (a read model, replayed);
``unit_populations`` holds the population figures stats' own API sets (never replayed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.units import Population, Tree, Unit

COLLECTION = "units"
POPULATIONS = "unit_populations"


def _population(doc: dict[str, Any] | None) -> tuple[Population, ...]:
    return tuple(Population(date.fromisoformat(p["since"]), p["residents"])
                 for p in (doc or {}).get("population", []))


def _unit(doc: dict[str, Any], population: tuple[Population, ...]) -> Unit:
    defined = max(doc["defined"], key=lambda d: d["at"])["value"]  # the latest definition
    return Unit(code=doc["_id"], name=defined["name"], name_en=defined.get("name_en"),
                level=UnitLevel(defined["level"]), parent=defined.get("parent"),
                population=population)


class MongoUnits:
    """Read the tree with its population figures; save the figures."""

    def __init__(self, db: AsyncDatabase[Any]) -> None:
        self.units, self.populations = db[COLLECTION], db[POPULATIONS]

    async def tree(self) -> Tree:
        """The whole tree (a district has a few hundred units at most)."""
        figures = {d["_id"]: _population(d) async for d in self.populations.find({})}
        return Tree({d["_id"]: _unit(d, figures.get(d["_id"], ()))
                     async for d in self.units.find({"defined": {"$exists": True}})})

    async def save_population(self, code: str, population: tuple[Population, ...]) -> None:
        """Set the population figures of unit ``code`` (the unit may be defined later)."""
        await self.populations.replace_one({"_id": code}, {"population": [
            {"since": p.since.isoformat(), "residents": p.residents} for p in population]},
            upsert=True)
