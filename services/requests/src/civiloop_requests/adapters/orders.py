"""The orders repository: one document per order, saved with an optimistic version check."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from civiloop_platform.store.database import ServiceDatabase
from civiloop_requests.domain.order import Order

COLLECTION = "orders"
_VERSION = "version"


class StaleOrder(Exception):
    """The order changed since it was loaded; the work must be retried from a fresh read."""

    def __init__(self, order_id: str, version: int) -> None:
        super().__init__(f"order {order_id}: version {version} is no longer current")
        self.order_id, self.version = order_id, version


class DuplicateOrder(Exception):
    """An order with this id is stored already."""


def _document(order: Order, version: int) -> dict[str, Any]:
    """The stored form: the order's fields, its id as ``_id``, and its version."""
    return {"_id": order.order_id, **order.model_dump(), _VERSION: version}


def _order(document: dict[str, Any]) -> Order:
    fields = {k: v for k, v in document.items() if k not in ("_id", _VERSION)}
    return Order.model_validate(fields)


class MongoOrders:
    """Orders in this service's database, read and written inside one transaction's session.

    ``get`` remembers the version it read; ``save`` writes only if that version is still the
    stored one (and bumps it), so two writers of one order never silently overwrite each other.
    """

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session
        self._versions: dict[str, int] = {}

    async def get(self, order_id: str) -> Order | None:
        """The order, or None if there is none with this id."""
        document = await self.collection.find_one({"_id": order_id}, session=self.session)
        if document is None:
            return None
        self._versions[order_id] = int(document.get(_VERSION, 0))
        return _order(document)

    async def add(self, order: Order) -> None:
        """Store a new order at version 1; DuplicateOrder if its id is taken."""
        try:
            await self.collection.insert_one(_document(order, 1), session=self.session)
        except DuplicateKeyError:
            raise DuplicateOrder(order.order_id) from None
        self._versions[order.order_id] = 1

    async def save(self, order: Order) -> None:
        """Write back an order read with ``get``; StaleOrder if it changed meanwhile."""
        if order.order_id not in self._versions:
            raise ValueError(f"order {order.order_id} was not loaded here; get or add it first")
        version = self._versions[order.order_id]
        result = await self.collection.replace_one(
            {"_id": order.order_id, _VERSION: version}, _document(order, version + 1),
            session=self.session)
        if result.matched_count != 1:
            raise StaleOrder(order.order_id, version)
        self._versions[order.order_id] = version + 1


async def ensure_indexes(database: ServiceDatabase) -> None:
    """Create the orders' indexes (idempotent): per station and status, and the "+1" lookup."""
    orders = database.db[COLLECTION]
    await orders.create_index(
        [("unit.station", ASCENDING), ("status", ASCENDING)], name="station_status")
    await orders.create_index(
        [("requester.resident_id", ASCENDING), ("category", ASCENDING), ("status", ASCENDING)],
        name="resident_category_status")
