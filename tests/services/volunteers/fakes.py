"""The volunteers repositories in memory: each real repository's named queries, run over a
dict instead of a collection (equality, ``$in``, ``$ne``, ``$or`` and ranges, as they use)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from civiloop_platform.store.versioned import Taken
from civiloop_platform.testing import FakeUnitOfWork
from civiloop_volunteers.adapters import repositories as real

M = TypeVar("M", bound=BaseModel)
_RANGES = {"$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b,
           "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b}


def _at(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _equal(have: Any, want: Any) -> bool:
    """Mongo's equality: a list field matches any of its elements."""
    return (isinstance(have, list) and not isinstance(want, list) and want in have) \
        or have == want


def _holds(have: Any, op: str, arg: Any) -> bool:
    if op == "$in":
        return any(_equal(have, a) for a in arg)
    if op == "$ne":
        return not _equal(have, arg)
    if op in _RANGES:
        return have is not None and bool(_RANGES[op](have, arg))
    raise NotImplementedError(f"the fake store does not know {op}")


def matches(document: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    """True when ``document`` satisfies ``query``."""
    for field, want in query.items():
        if field == "$or":
            if not any(matches(document, q) for q in want):
                return False
            continue
        have = _at(document, field)
        if isinstance(want, Mapping) and want and all(k.startswith("$") for k in want):
            if not all(_holds(have, op, arg) for op, arg in want.items()):
                return False
        elif not _equal(have, want):
            return False
    return True


class Memory(Generic[M]):
    """A versioned store's reads and writes over a dict; deep copies, so only saves count."""

    model: type[M]
    id_field: str

    def __init__(self) -> None:
        self.stored: dict[str, M] = {}

    def _row(self, key: str, item: M) -> dict[str, Any]:
        return {"_id": key, **item.model_dump(mode="json")}

    async def get(self, key: str) -> M | None:
        item = self.stored.get(key)
        return None if item is None else item.model_copy(deep=True)

    async def find_one(self, query: Mapping[str, Any],
                       sort: Sequence[tuple[str, int]] | None = None) -> M | None:
        found = await self.find(query, sort, 1)
        return found[0] if found else None

    async def find(self, query: Mapping[str, Any], sort: Sequence[tuple[str, int]] | None = None,
                   limit: int = 0) -> list[M]:
        rows = [(self._row(k, v), v) for k, v in self.stored.items()]
        rows = [r for r in rows if matches(r[0], query)]
        for field, direction in reversed(sort or []):
            rows.sort(key=lambda r: (_at(r[0], field) is not None, _at(r[0], field) or 0),
                      reverse=direction < 0)
        return [item.model_copy(deep=True) for _, item in rows[:limit or None]]

    async def add(self, aggregate: M) -> None:
        key = str(getattr(aggregate, self.id_field))
        if key in self.stored:
            raise Taken(key)
        self.stored[key] = aggregate.model_copy(deep=True)

    async def add_all(self, aggregates: Sequence[M]) -> None:
        for aggregate in aggregates:
            await self.add(aggregate)

    async def add_if_absent(self, aggregate: M) -> bool:
        if str(getattr(aggregate, self.id_field)) in self.stored:
            return False
        await self.add(aggregate)
        return True

    async def save(self, aggregate: M) -> None:
        self.stored[str(getattr(aggregate, self.id_field))] = aggregate.model_copy(deep=True)


class FakeVolunteers(Memory[Any], real.Volunteers):
    """In memory."""


class FakeTeams(Memory[Any], real.Teams):
    """In memory."""


class FakeOffers(Memory[Any], real.Offers):
    """In memory."""


class FakeOrders(Memory[Any], real.Orders):
    """In memory."""

    async def close(self, order_id: str, reason: str) -> None:
        order = self.stored.get(order_id)
        if order is not None and order.closed is None:
            order.closed = reason


class FakeServices(Memory[Any], real.Services):
    """In memory."""


class FakeLedger(Memory[Any], real.Ledger):
    """In memory."""


class FakeVolunteersUnitOfWork(FakeUnitOfWork):
    """The volunteers unit of work in memory (the repositories the answer handlers use)."""

    def __init__(self) -> None:
        super().__init__()
        self.volunteers, self.teams = FakeVolunteers(), FakeTeams()
        self.offers, self.orders = FakeOffers(), FakeOrders()
        self.services, self.hours = FakeServices(), FakeLedger()
