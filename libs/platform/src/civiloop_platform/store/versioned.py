"""A repository of one aggregate per document, saved with an optimistic version check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar

import bson
from pydantic import BaseModel
from pymongo import ReturnDocument
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
    A store lives for one transaction (or one read-only session): ``get`` of an id read or
    written here already answers from memory, as a read would (no second round trip).
    Subclasses name the model and its id field, and may add stored-only fields (for indexes)
    or store the model in its JSON form (``dump_mode = "json"``: dates BSON cannot hold).
    """

    model: type[A]
    id_field: str
    stored_only: tuple[str, ...] = ()
    dump_mode: Literal["python", "json"] = "python"

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession) -> None:
        self.collection, self.session = collection, session
        self._versions: dict[str, int] = {}
        # The stored form of each document read or written here, as the server would return it.
        self._known: dict[str, bytes] = {}

    def extra(self, aggregate: A) -> dict[str, Any]:
        """Stored-only fields derived from ``aggregate`` (none by default)."""
        return {}

    def document(self, aggregate: A, version: int) -> dict[str, Any]:
        """The stored form: the fields, the id as ``_id``, the version and the extras."""
        return {"_id": self.key(aggregate), **aggregate.model_dump(mode=self.dump_mode),
                **self.extra(aggregate), VERSION: version}

    @classmethod
    def load(cls, document: dict[str, Any]) -> A:
        """The aggregate a stored document holds (also for reads outside a transaction)."""
        skip = {"_id", VERSION, *cls.stored_only}
        return cls.model.model_validate({k: v for k, v in document.items() if k not in skip})

    def key(self, aggregate: A) -> str:
        """The id of ``aggregate``."""
        return str(getattr(aggregate, self.id_field))

    def _read(self, document: dict[str, Any]) -> A:
        """The aggregate of a document read here; its version is remembered for ``save``."""
        self._versions[str(document["_id"])] = int(document.get(VERSION, 0))
        self._remember(document)
        return self.load(document)

    def _remember(self, document: dict[str, Any]) -> None:
        # Kept encoded: what a later get decodes is a copy in the client's own codec (dates
        # to milliseconds, time zones) whatever the caller did to the aggregate meanwhile.
        self._known[str(document["_id"])] = bson.encode(document)

    def forget(self, *keys: str) -> None:
        """Read these ids from the store again: a write here bypassed ``save``."""
        for key in keys:
            self._known.pop(key, None)

    async def get(self, key: str) -> A | None:
        """The aggregate, or None if there is none with this id (read once per store)."""
        known = self._known.get(key)
        if known is not None:
            return self.load(bson.decode(known, codec_options=self.collection.codec_options))
        return await self.find_one({"_id": key})

    async def find_one(self, query: Mapping[str, Any],
                       sort: Sequence[tuple[str, int]] | None = None) -> A | None:
        """The first aggregate matching ``query`` (in ``sort`` order), or None."""
        document = await self.collection.find_one(query, sort=sort, session=self.session)
        return None if document is None else self._read(document)

    async def find(self, query: Mapping[str, Any], sort: Sequence[tuple[str, int]] | None = None,
                   limit: int = 0) -> list[A]:
        """Aggregates matching ``query`` in ``sort`` order, at most ``limit`` (0: all)."""
        cursor = self.collection.find(query, session=self.session, sort=sort, limit=limit)
        return [self._read(document) async for document in cursor]

    async def page(self, query: Mapping[str, Any], skip: int, limit: int) -> tuple[list[A], int]:
        """One page of the aggregates matching ``query`` in id order, and how many match."""
        total = await self.collection.count_documents(query, session=self.session)
        cursor = self.collection.find(query, session=self.session, sort=[("_id", 1)],
                                      skip=skip, limit=limit)
        return [self._read(document) async for document in cursor], total

    async def add(self, aggregate: A) -> None:
        """Store a new aggregate at version 1; Taken if its id (or a unique key) is stored."""
        await self._insert(aggregate)

    async def _insert(self, aggregate: A) -> None:
        key, document = self.key(aggregate), self.document(aggregate, 1)
        try:
            await self.collection.insert_one(document, session=self.session)
        except DuplicateKeyError:
            raise Taken(key) from None
        self._versions[key] = 1
        self._remember(document)

    async def add_all(self, aggregates: Sequence[A]) -> None:
        """Store new aggregates at version 1 in one round trip."""
        documents = [self.document(a, 1) for a in aggregates]
        await self.collection.insert_many(documents, session=self.session)
        self._versions.update((self.key(a), 1) for a in aggregates)
        for document in documents:
            self._remember(document)

    async def add_if_absent(self, aggregate: A) -> bool:
        """Store ``aggregate`` unless its id is stored (a replayed event); True if stored.

        Unlike ``add``, a stored id is no error: no duplicate-key error aborts the transaction.
        """
        key, document = self.key(aggregate), self.document(aggregate, 1)
        result = await self.collection.update_one(
            {"_id": key}, {"$setOnInsert": document}, upsert=True, session=self.session)
        if result.upserted_id is not None:
            self._versions[key] = 1
            self._remember(document)
        return result.upserted_id is not None

    async def put(self, aggregate: A, fields: Sequence[str]) -> A:
        """Write ``fields`` of ``aggregate`` over its stored document, or store it whole when
        there is none: one upsert, no read first; the aggregate as stored after it. Only for a
        change that does not depend on what is stored (a fact that replaces the last one);
        the version moves as a save's would."""
        key, document = self.key(aggregate), self.document(aggregate, 1)
        changed = {f: document.pop(f) for f in (*fields, *self.extra(aggregate))}
        del document["_id"], document[VERSION]
        # find_one_and_update, not update_one: the same one round trip, and the caller learns
        # what else the document holds (feedback: ratings parked before the placement came).
        stored = await self.collection.find_one_and_update(
            {"_id": key}, {"$set": changed, "$setOnInsert": document, "$inc": {VERSION: 1}},
            upsert=True, return_document=ReturnDocument.AFTER, session=self.session)
        self.forget(key)  # a save of a copy read before finds it Stale, as after any writer
        assert stored is not None  # an upsert returning the document after it: always one
        return self.load(stored)

    async def save(self, aggregate: A) -> None:
        """Write back an aggregate read here (Stale if it changed meanwhile), or ``add`` one
        never read here (Taken if it was stored meanwhile)."""
        key = self.key(aggregate)
        if key not in self._versions:
            await self._insert(aggregate)
            return
        version, document = self._versions[key], self.document(aggregate, self._versions[key] + 1)
        result = await self.collection.replace_one(
            {"_id": key, VERSION: version}, document, session=self.session)
        if result.matched_count != 1:
            self.forget(key)
            raise Stale(key, version)
        self._versions[key] = version + 1
        self._remember(document)
