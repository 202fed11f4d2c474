"""The menu in MongoDB: one document per category, seeded with the default menu once."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_requests.domain.catalogue import Catalogue, Category
from civiloop_requests.domain.errors import UnknownCategory

COLLECTION = "menu"
_STORED_ONLY = ("_id", "active", "position")


def _category(document: dict[str, Any]) -> Category:
    return Category.model_validate({k: v for k, v in document.items() if k not in _STORED_ONLY})


class MongoMenu:
    """Categories on the menu; a retired one stays stored (old orders name it) but is hidden."""

    def __init__(self, collection: AsyncCollection[Any],
                 session: AsyncClientSession | None = None) -> None:
        self.collection, self.session = collection, session

    async def get(self, code: str) -> Category:
        """The active category ``code``, or UnknownCategory naming it."""
        document = await self.collection.find_one({"_id": code, "active": True},
                                                  session=self.session)
        if document is None:
            raise UnknownCategory(f"no category {code!r} on the menu")
        return _category(document)

    async def catalogue(self) -> Catalogue:
        """The active menu in menu order."""
        cursor = self.collection.find({"active": True}, session=self.session).sort(
            [("position", ASCENDING), ("_id", ASCENDING)])
        return Catalogue(categories=tuple([_category(d) async for d in cursor]))

    async def put(self, category: Category) -> bool:
        """Add or replace ``category`` (re-activating it); True when it is new."""
        fields = category.model_dump(mode="json")
        result = await self.collection.update_one(
            {"_id": category.code},
            {"$set": {**fields, "active": True},
             "$setOnInsert": {"position": await self._next_position()}},
            upsert=True, session=self.session)
        return result.upserted_id is not None

    async def retire(self, code: str) -> None:
        """Take ``code`` off the menu; UnknownCategory if it is not on it."""
        result = await self.collection.update_one({"_id": code, "active": True},
                                                  {"$set": {"active": False}},
                                                  session=self.session)
        if result.matched_count != 1:
            raise UnknownCategory(f"no category {code!r} on the menu")

    async def seed(self, menu: Catalogue) -> None:
        """Store ``menu`` if this database has no menu yet (a later edit is never undone)."""
        if await self.collection.estimated_document_count() > 0:
            return
        for position, category in enumerate(menu.categories):
            await self.collection.update_one(
                {"_id": category.code},
                {"$setOnInsert": {**category.model_dump(mode="json"), "active": True,
                                  "position": position}},
                upsert=True)

    async def _next_position(self) -> int:
        last = await self.collection.find_one({}, sort=[("position", -1)], session=self.session)
        return 0 if last is None else int(last.get("position", 0)) + 1
