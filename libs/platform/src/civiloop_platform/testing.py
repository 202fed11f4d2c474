"""Fakes for unit tests of handlers and the consumer path: no Kafka, no MongoDB."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, make_event
from civiloop_platform.kafka.producer import Outgoing
from civiloop_platform.messages import Handler, Received
from civiloop_platform.store.unit_of_work import AlreadyApplied

T = TypeVar("T")


class FakeUnitOfWork:
    """Runs work in memory; keeps published events only when the work succeeds."""

    def __init__(self, applied: set[str] | None = None) -> None:
        self.applied = applied if applied is not None else set()
        self.events: list[Envelope] = []
        self.committed: list[Envelope] = []

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it counts as committed only if the work returns."""
        self.events.append(envelope)

    async def run(self, work: Callable[[Any], Awaitable[T]], *, dedup_key: str | None = None) -> T:
        """Apply ``work(self)``; AlreadyApplied for a ``dedup_key`` seen before."""
        if dedup_key is not None and dedup_key in self.applied:
            raise AlreadyApplied(dedup_key)
        self.events = []
        result = await work(self)
        if dedup_key is not None:
            self.applied.add(dedup_key)
        self.committed.extend(self.events)
        return result

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Apply ``work(self)`` that only reads; publishing in it is an error, as in MongoDB's."""
        self.events = []
        result = await work(self)
        if self.events:
            raise RuntimeError("work run with read() published events; use run()")
        return result

    async def run_all(self, works: Sequence[Callable[[Any], Awaitable[Any]]], *,
                      dedup_keys: Sequence[str]) -> None:
        """Apply every work, all or nothing; AlreadyApplied if any key was seen before."""
        if any(key in self.applied for key in dedup_keys):
            raise AlreadyApplied(", ".join(dedup_keys))
        self.events = []
        for work in works:
            await work(self)
        self.applied.update(dedup_keys)
        self.committed.extend(self.events)


async def feed(uow: FakeUnitOfWork, handler: Handler, payload: Payload,
               source: str = "/test") -> Envelope:
    """Apply ``payload`` through ``handler`` in one unit of work, as the consumer would."""
    event = make_event(payload, source=source)
    await uow.run(lambda u: handler(Received(payload, event), u))
    return event


def published(uow: FakeUnitOfWork) -> list[str]:
    """The types of the events ``uow`` committed, in order (``civiloop.`` left off)."""
    return [e.type.removeprefix("civiloop.") for e in uow.committed]


class FakeProducer:
    """Records what would have been sent; can be told to fail like a broker that is away."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.fail_with: BaseException | None = None
        self.started = True

    async def send_all(self, records: Sequence[Outgoing]) -> None:
        """Keep ``records``, or raise the configured failure."""
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.extend(records)
