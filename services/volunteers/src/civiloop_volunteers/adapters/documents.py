"""A repository of one pydantic model in one collection, with an optimistic version per document.

Reads remember the version they saw; a save writes only over that version and bumps it, so
two writers of one document never silently overwrite each other. Inside a transaction a
concurrent writer meets a write conflict first, which the driver retries from a fresh read.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_volunteers.domain.errors import Conflict

M = TypeVar("M", bound=BaseModel)
_VERSION = "version"


class Documents(Generic[M]):
    """Documents of ``model`` keyed by its ``id_field``, read and written in one session."""

    model: type[M]
    id_field: str

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session
        self._versions: dict[str, int] = {}

    def _load(self, document: dict[str, Any]) -> M:
        self._versions[str(document["_id"])] = int(document.get(_VERSION, 0))
        fields = {k: v for k, v in document.items() if k not in ("_id", _VERSION)}
        return self.model.model_validate(fields)

    def _document(self, item: M, version: int) -> dict[str, Any]:
        key = getattr(item, self.id_field)
        return {"_id": key, **item.model_dump(mode="json"), _VERSION: version}

    async def get(self, key: str) -> M | None:
        """The document with this id, or None."""
        document = await self.collection.find_one({"_id": key}, session=self.session)
        return None if document is None else self._load(document)

    async def find(self, query: dict[str, Any], *, sort: list[tuple[str, int]] | None = None,
                   limit: int = 0) -> list[M]:
        """Documents matching ``query`` (used by the named queries of subclasses)."""
        cursor = self.collection.find(query, session=self.session, sort=sort, limit=limit)
        return [self._load(document) async for document in cursor]

    async def page(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[M], int]:
        """One page of the documents matching ``query`` in id order, and how many match."""
        total = await self.collection.count_documents(query, session=self.session)
        cursor = self.collection.find(query, session=self.session, sort=[("_id", 1)],
                                      skip=skip, limit=limit)
        return [self._load(document) async for document in cursor], total

    async def add(self, item: M) -> None:
        """Store a new document at version 1."""
        await self.collection.insert_one(self._document(item, 1), session=self.session)
        self._versions[getattr(item, self.id_field)] = 1

    async def add_all(self, items: list[M]) -> None:
        """Store new documents at version 1, in one round trip."""
        await self.collection.insert_many([self._document(item, 1) for item in items],
                                          session=self.session)
        for item in items:
            self._versions[getattr(item, self.id_field)] = 1

    async def add_if_absent(self, item: M) -> bool:
        """Store ``item`` unless its id is there already (a replayed event); True if stored."""
        key = getattr(item, self.id_field)
        result = await self.collection.update_one(
            {"_id": key}, {"$setOnInsert": self._document(item, 1)}, upsert=True,
            session=self.session)
        return result.upserted_id is not None

    async def save(self, item: M) -> None:
        """Write back a document read here; Conflict if it changed since."""
        key = getattr(item, self.id_field)
        if key not in self._versions:
            raise ValueError(f"{self.model.__name__} {key} was not loaded here")
        version = self._versions[key]
        result = await self.collection.replace_one(
            {"_id": key, _VERSION: version}, self._document(item, version + 1),
            session=self.session)
        if result.matched_count != 1:
            raise Conflict(f"{self.model.__name__.lower()} {key} changed meanwhile; try again")
        self._versions[key] = version + 1
