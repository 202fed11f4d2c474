"""One MongoDB transaction holding a state change, its outbox events and its inbox mark."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError

from civiloop_contracts.codec import encode
from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.payload import REGISTRY
from civiloop_platform import tracing
from civiloop_platform.logs import in_current_story
from civiloop_platform.store.database import ServiceDatabase

T = TypeVar("T")
Work = Callable[[Any], Awaitable[Any]]
DUPLICATE_KEY = 11000


class AlreadyApplied(Exception):
    """This consumer group applied the event before; the transaction was rolled back."""


def topic_of(envelope: Envelope) -> str:
    """The topic an event is published to: the catalogue topic of its payload model."""
    return REGISTRY.model_for(envelope.type).topic


class MongoUnitOfWork:
    """Runs a piece of work in one transaction; events it publishes join the outbox.

    Services subclass it and override ``bind`` to open their repositories on the session.
    """

    def __init__(self, database: ServiceDatabase) -> None:
        self.database = database
        self.session: AsyncClientSession | None = None
        self.events: list[Envelope] = []

    def bind(self, session: AsyncClientSession) -> None:
        """Open the service's repositories on ``session`` (subclasses override)."""

    async def finish(self) -> None:
        """Write what the work held back, before the transaction commits (subclasses)."""

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope`` for the outbox; it is written only if the work commits."""
        self.events.append(tracing.stamp(in_current_story(envelope)))

    async def run(self, work: Callable[[Any], Awaitable[T]], *, dedup_key: str | None = None) -> T:
        """Apply ``work(self)`` atomically; AlreadyApplied if ``dedup_key`` was seen before.

        Write conflicts between replicas are retried by the driver's ``with_transaction``.
        """
        keys = [dedup_key] if dedup_key is not None else []
        results = await self._transaction([work], keys)
        result: T = results[0]
        return result

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """``work(self)`` for work that only reads: on a session with no transaction.

        A transaction costs its commit, one more round trip, and a read needs none: each
        read sees what is committed. Work that writes or publishes must use ``run``.
        """
        async with self.database.client.start_session() as session:
            self.session, self.events = session, []
            self.bind(session)
            result = await work(self)
        if self.events:
            raise RuntimeError("work run with read() published events; use run()")
        return result

    async def run_all(self, works: Sequence[Work], *, dedup_keys: Sequence[str]) -> None:
        """Apply every work in order in one transaction, marking each key in the inbox.

        All or nothing: AlreadyApplied if any key was seen before, and any failure of one
        work rolls back the others; the caller then applies them one by one.
        """
        await self._transaction(works, dedup_keys)

    async def _transaction(self, works: Sequence[Work], keys: Sequence[str]) -> list[Any]:
        async with self.database.client.start_session() as session:
            results: list[Any] = await session.with_transaction(
                lambda s: self._attempt(s, works, keys))
        if self.events:
            self.database.committed()  # wake the relay: there is something to publish
        return results

    async def _attempt(self, session: AsyncClientSession, works: Sequence[Work],
                       keys: Sequence[str]) -> list[Any]:
        self.session, self.events = session, []  # a retried attempt starts clean
        self.bind(session)
        if keys:
            now = utcnow()
            try:  # one insert for the whole batch: a unique _id is the inbox's dedup
                await self.database.inbox.insert_many(
                    [{"_id": key, "applied_at": now} for key in keys], session=session)
            except (DuplicateKeyError, BulkWriteError) as exc:
                if not _duplicate(exc):
                    raise
                raise AlreadyApplied(", ".join(keys)) from None
        results = [await work(self) for work in works]
        await self.finish()
        if self.events:
            now = utcnow()
            await self.database.outbox.insert_many(
                [outbox_row(e, now, i, self.database.writer) for i, e in enumerate(self.events)],
                session=session)
        return results


def _duplicate(exc: DuplicateKeyError | BulkWriteError) -> bool:
    """True when the write failed on a duplicate key (an inbox mark that exists)."""
    if isinstance(exc, DuplicateKeyError):
        return True
    errors = (exc.details or {}).get("writeErrors", [])
    return any(e.get("code") == DUPLICATE_KEY for e in errors)


def outbox_row(envelope: Envelope, created_at: datetime, seq: int,
               writer: str = "") -> dict[str, Any]:
    """The outbox document of one event: its Kafka record, pending until the relay sends it.

    The relay sends in (created_at, seq) order; two changes to one aggregate conflict in
    MongoDB, so the later one is always created after the earlier one committed. ``writer``
    names the process that wrote it, so its own relay need not hear of it twice.
    """
    record = encode(envelope)
    return {
        "_id": envelope.id, "topic": topic_of(envelope), "key": record.key,
        "value": record.value, "headers": [[k, v] for k, v in record.headers],
        "pending": True, "created_at": created_at, "seq": seq, "writer": writer,
    }
