"""Pydantic models stored one per document, saved with an optimistic version check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

M = TypeVar("M", bound=BaseModel)
_VERSION = "version"


class StaleDocument(Exception):
    """The document changed since it was read, or was created meanwhile: retry the work."""


class DuplicateDocument(StaleDocument):
    """A new document collides with a stored one on its id or a unique index."""


class VersionedDocuments(Generic[M]):
    """One model per document, ``_id`` from ``id_field``, read and written on one session.

    Reads remember each document's version; ``save`` writes only over that version (and
    bumps it), or inserts a document never read, so two writers never overwrite each other.
    """

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession,
                 model: type[M], id_field: str) -> None:
        self.collection, self.session = collection, session
        self.model, self.id_field = model, id_field
        self._versions: dict[str, int] = {}

    def _load(self, document: Mapping[str, Any]) -> M:
        self._versions[str(document["_id"])] = int(document.get(_VERSION, 0))
        fields = {k: v for k, v in document.items() if k not in ("_id", _VERSION)}
        return self.model.model_validate(fields)

    async def find_one(self, query: Mapping[str, Any],
                       sort: Sequence[tuple[str, int]] | None = None) -> M | None:
        """The first matching model, or None."""
        document = await self.collection.find_one(query, sort=sort, session=self.session)
        return None if document is None else self._load(document)

    async def find(self, query: Mapping[str, Any], sort: Sequence[tuple[str, int]],
                   limit: int) -> list[M]:
        """Matching models in ``sort`` order, at most ``limit``."""
        cursor = self.collection.find(query, session=self.session).sort(list(sort)).limit(limit)
        return [self._load(document) async for document in cursor]

    async def save(self, item: M) -> None:
        """Insert a model never read here, or write one back over the version read."""
        key = str(getattr(item, self.id_field))
        document = {"_id": key, **item.model_dump()}
        version = self._versions.get(key)
        if version is None:
            try:
                await self.collection.insert_one({**document, _VERSION: 1}, session=self.session)
            except DuplicateKeyError as exc:
                raise DuplicateDocument(f"{self.collection.name} {key}: {exc}") from None
            self._versions[key] = 1
            return
        result = await self.collection.replace_one(
            {"_id": key, _VERSION: version}, {**document, _VERSION: version + 1},
            session=self.session)
        if result.matched_count != 1:
            raise StaleDocument(f"{self.collection.name} {key}: version {version} is not current")
        self._versions[key] = version + 1
