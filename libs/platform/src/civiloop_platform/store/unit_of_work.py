"""One MongoDB transaction holding a state change, its outbox events and its inbox mark."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from civiloop_contracts.codec import encode
from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.payload import REGISTRY
from civiloop_platform import tracing
from civiloop_platform.logs import in_current_story
from civiloop_platform.store.database import ServiceDatabase

T = TypeVar("T")


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

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope`` for the outbox; it is written only if the work commits."""
        self.events.append(tracing.stamp(in_current_story(envelope)))

    async def run(self, work: Callable[[Any], Awaitable[T]], *, dedup_key: str | None = None) -> T:
        """Apply ``work(self)`` atomically; AlreadyApplied if ``dedup_key`` was seen before.

        Write conflicts between replicas are retried by the driver's ``with_transaction``.
        """
        async with self.database.client.start_session() as session:
            result: T = await session.with_transaction(
                lambda s: self._attempt(s, work, dedup_key))
        if self.events:
            self.database.nudge.set()  # wake the relay: there is something to publish
        return result

    async def _attempt(self, session: AsyncClientSession, work: Callable[[Any], Awaitable[T]],
                       dedup_key: str | None) -> T:
        self.session, self.events = session, []  # a retried attempt starts clean
        self.bind(session)
        if dedup_key is not None:
            try:
                await self.database.inbox.insert_one(
                    {"_id": dedup_key, "applied_at": utcnow()}, session=session)
            except DuplicateKeyError:
                raise AlreadyApplied(dedup_key) from None
        result = await work(self)
        if self.events:
            now = utcnow()
            await self.database.outbox.insert_many(
                [outbox_row(e, now, i) for i, e in enumerate(self.events)], session=session)
        return result


def outbox_row(envelope: Envelope, created_at: datetime, seq: int) -> dict[str, Any]:
    """The outbox document of one event: its Kafka record, pending until the relay sends it.

    The relay sends in (created_at, seq) order; two changes to one aggregate conflict in
    MongoDB, so the later one is always created after the earlier one committed.
    """
    record = encode(envelope)
    return {
        "_id": envelope.id, "topic": topic_of(envelope), "key": record.key,
        "value": record.value, "headers": [[k, v] for k, v in record.headers],
        "pending": True, "created_at": created_at, "seq": seq,
    }
