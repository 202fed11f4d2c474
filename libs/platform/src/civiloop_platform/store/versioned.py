"""A repository of one aggregate per document, saved with an optimistic version check."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

A = TypeVar("A", bound=BaseModel)
VERSION = "version"


class Stale(Exception):
    """The aggregate changed since it was loaded; the work must be retried from a fresh read."""

    def __init__(self, key: str, version: int) -> None:
        super().__init__(f"{key}: version {version} is no longer current")
        self.key, self.version = key, version


class Taken(Exception):
    """An aggregate with this id is stored already."""


class VersionedStore(Generic[A]):
    """Aggregates of type ``model`` read and written inside one transaction's session.

    ``get`` remembers the version it read; ``save`` writes only if that version is still the
    stored one (and bumps it), so two writers of one aggregate never overwrite each other.
    Subclasses name the model and its id field, and may add stored-only fields (for indexes).
    """

    model: type[A]
    id_field: str
    stored_only: tuple[str, ...] = ()

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session
        self._versions: dict[str, int] = {}

    def extra(self, aggregate: A) -> dict[str, Any]:
        """Stored-only fields derived from ``aggregate`` (none by default)."""
        return {}

    def document(self, aggregate: A, version: int) -> dict[str, Any]:
        """The stored form: the fields, the id as ``_id``, the version and the extras."""
        return {"_id": self.key(aggregate), **aggregate.model_dump(), **self.extra(aggregate),
                VERSION: version}

    @classmethod
    def load(cls, document: dict[str, Any]) -> A:
        """The aggregate a stored document holds (also for reads outside a transaction)."""
        skip = {"_id", VERSION, *cls.stored_only}
        return cls.model.model_validate({k: v for k, v in document.items() if k not in skip})

    def key(self, aggregate: A) -> str:
        """The id of ``aggregate``."""
        return str(getattr(aggregate, self.id_field))

    async def get(self, key: str) -> A | None:
        """The aggregate, or None if there is none with this id."""
        document = await self.collection.find_one({"_id": key}, session=self.session)
        if document is None:
            return None
        self._versions[key] = int(document.get(VERSION, 0))
        return self.load(document)

    async def add(self, aggregate: A) -> None:
        """Store a new aggregate at version 1; Taken if its id is stored already."""
        key = self.key(aggregate)
        try:
            await self.collection.insert_one(self.document(aggregate, 1), session=self.session)
        except DuplicateKeyError:
            raise Taken(key) from None
        self._versions[key] = 1

    async def save(self, aggregate: A) -> None:
        """Write back an aggregate read with ``get``; Stale if it changed meanwhile."""
        key = self.key(aggregate)
        if key not in self._versions:
            raise ValueError(f"{key} was not loaded here; get or add it first")
        version = self._versions[key]
        result = await self.collection.replace_one(
            {"_id": key, VERSION: version}, self.document(aggregate, version + 1),
            session=self.session)
        if result.matched_count != 1:
            raise Stale(key, version)
        self._versions[key] = version + 1
