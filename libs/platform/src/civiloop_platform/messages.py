"""What a handler receives, and the shape of a handler and its routing table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, caused_by

P = TypeVar("P", bound=Payload)


@dataclass(frozen=True)
class Received(Generic[P]):
    """A validated event: its typed payload and the envelope it came in."""

    payload: P
    envelope: Envelope

    def follow_up(self, payload: Payload, *, source: str,
                  time: datetime | None = None) -> Envelope:
        """An event caused by this one (same correlation id, causation = this event's id)."""
        return caused_by(payload, self.envelope, source=source, time=time)


# A handler applies one event through a unit of work; it never touches Kafka or MongoDB.
# It raises ContractError for an event its rules refuse: dead-lettered at once, not retried.
Handler = Callable[[Received[Any], Any], Awaitable[None]]
HandlerTable = Mapping[type[Payload], Handler]


@dataclass(frozen=True)
class Subscription:
    """A consumer group of one service: the topics it reads and the handlers it routes to."""

    group: str
    topics: list[str]
    handlers: HandlerTable
    # Intake: a type the contract does not publish on the topic is bad input, not news.
    strict_types: bool = False
    # Whether this group dead-letters the records no group can read (not a CloudEvent, or,
    # when strict, a type the contract does not put on the topic). Of the groups sharing a
    # topic exactly one does; the others skip such records, so each is dead-lettered once.
    # What a group's own handlers refuse it always dead-letters itself.
    owns_dead_letters: bool = True
    # How long a poll that found records waits for more before applying them: one
    # transaction (one inbox insert, one commit) for all, at the cost of that much latency.
    # For groups nobody waits on (stats' figures); 0 applies at once.
    gather_s: float = 0.0
    # Per payload type, a test on the payload alone (never on stored state): a record it
    # says no to is ignored as an unhandled type is, with no inbox mark and no transaction.
    # Its handler would change nothing for such a payload, now or on any replay.
    wants: Mapping[type[Payload], Callable[[Any], bool]] = field(default_factory=dict)

    def handles(self, event_type: str) -> bool:
        """True when a handler is routed for the CloudEvents ``event_type``."""
        return any(model.event_type() == event_type for model in self.handlers)
