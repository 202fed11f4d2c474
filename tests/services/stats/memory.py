"""The stats read models in memory: the real updates, applied as MongoDB would apply them.

``MemoryModels`` keeps every write ``ReadModels`` builds ($setOnInsert, $set, $min,
$addToSet) and applies it to plain dicts, so handler tests run without a server while
the update documents stay the production ones.
"""

from __future__ import annotations

from typing import Any

from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Received
from civiloop_stats.adapters.read_models import ReadModels
from civiloop_stats.adapters.snapshot import order_facts
from civiloop_stats.app.handlers import HANDLERS
from civiloop_stats.domain.facts import OrderFacts

Doc = dict[str, Any]


def apply_update(doc: Doc, update: Doc, inserted: bool) -> None:
    """Apply one upsert's operators to ``doc`` in place."""
    for key, value in update.get("$setOnInsert", {}).items():
        if inserted:
            doc[key] = value
    doc.update(update.get("$set", {}))
    for key, value in update.get("$min", {}).items():
        if doc.get(key) is None or value < doc[key]:
            doc[key] = value
    for key, value in update.get("$addToSet", {}).items():
        items = doc.setdefault(key, [])
        if value not in items:
            items.append(value)


class MemoryModels(ReadModels):
    """ReadModels whose upserts land in ``docs[collection][id]``."""

    def __init__(self) -> None:  # no database: _upsert is the only I/O and it is replaced
        self.prefix = ""
        self.docs: dict[str, dict[str, Doc]] = {}

    async def _upsert(self, name: str, key: str, update: Doc) -> None:
        collection = self.docs.setdefault(name, {})
        inserted = key not in collection
        apply_update(collection.setdefault(key, {"_id": key}), update, inserted)

    def orders(self) -> dict[str, OrderFacts]:
        """The placed orders as facts, as the snapshot reader gives them."""
        return {k: order_facts(d) for k, d in self.docs.get("orders", {}).items()
                if d.get("place")}


class MemoryUnitOfWork:
    """A unit of work with the in-memory read models."""

    def __init__(self) -> None:
        self.models = MemoryModels()


async def apply_all(uow: MemoryUnitOfWork, events: list[Received[Payload]]) -> None:
    """Route each event to its stats handler, in the given order; as the consumer does, a
    type without a handler is read and let go."""
    for event in events:
        handler = HANDLERS.get(type(event.payload))
        if handler is not None:
            await handler(event, uow)
