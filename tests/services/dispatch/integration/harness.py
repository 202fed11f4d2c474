"""A dispatch replica on real Kafka and MongoDB, and what tests do to it and read from it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from civiloop_contracts.codec import decode, encode
from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.volunteers import TeamRegistered, VolunteerRegistered
from civiloop_contracts.payload import Payload, make_event
from civiloop_dispatch.adapters.unit_of_work import DispatchUnitOfWork
from civiloop_platform.kafka.producer import EventProducer, Outgoing
from civiloop_platform.runtime import Runtime
from civiloop_platform.store.database import ServiceDatabase
from tests.support import eventually

Event = tuple[str, dict[str, Any]]


def record(payload: Payload) -> Outgoing:
    """The Kafka record another service would publish for ``payload``."""
    encoded = encode(make_event(payload, source="/test/dispatch"))
    return Outgoing(type(payload).topic, encoded.key, encoded.value, encoded.headers)


class Harness:
    """Feeds a running dispatch service and reads its database (its outbox is what it said)."""

    def __init__(self, runtime: Runtime, producer: EventProducer) -> None:
        self.runtime, self.producer = runtime, producer
        self.database: ServiceDatabase = runtime.database

    def uow(self) -> DispatchUnitOfWork:
        """A unit of work on the service's database."""
        uow = self.runtime.unit_of_work()
        assert isinstance(uow, DispatchUnitOfWork)
        return uow

    async def send(self, *payloads: Payload) -> None:
        """Publish ``payloads`` as requests and volunteers would."""
        await self.producer.send_all([record(p) for p in payloads])

    async def register(self, *payloads: VolunteerRegistered | TeamRegistered) -> None:
        """Publish registrations and wait until the matching view holds each of them."""
        await self.send(*payloads)
        keys = [f"team:{p.team_id}" if isinstance(p, TeamRegistered)
                else f"volunteer:{p.volunteer_id}" for p in payloads]
        await eventually(functools.partial(self._has_candidates, keys))

    async def _has_candidates(self, keys: list[str]) -> bool:
        found = await self.database.db["candidates"].count_documents({"_id": {"$in": keys}})
        return found == len(set(keys))

    async def events(self, order_id: str) -> list[Event]:
        """What dispatch published about the order, in order: (type without prefix, data)."""
        rows = self.database.outbox.find({"key": order_id.encode()}).sort(
            [("created_at", 1), ("seq", 1)])
        return [(e.type.removeprefix("civiloop."), e.data)
                for e in [decode(row["value"]) async for row in rows]]

    async def wait(self, order_id: str, check: Callable[[list[Event]], bool],
                   within_s: float = 60) -> list[Event]:
        """The order's events once ``check`` holds for them."""
        async def holds() -> bool:
            return check(await self.events(order_id))

        await eventually(holds, within_s=within_s)
        return await self.events(order_id)

    async def wait_types(self, order_id: str, *types: str) -> list[Event]:
        """The order's events once their types are exactly ``types``."""
        return await self.wait(order_id, lambda evs: [t for t, _ in evs] == list(types))

    async def expire(self, order_id: str) -> None:
        """Let time pass: the order's pending accept deadline is due now."""
        await self.database.db["timers"].update_many(
            {"order_id": order_id, "state": "pending"},
            {"$set": {"due_at": utcnow() - timedelta(seconds=1)}})

    async def case(self, order_id: str) -> dict[str, Any]:
        """The stored case of the order."""
        doc = await self.database.db["cases"].find_one({"_id": order_id})
        assert doc is not None, f"no case for {order_id}"
        return doc


def types(events: list[Event]) -> list[str]:
    """The event types, in order."""
    return [t for t, _ in events]
