"""Applying Kafka records: decode, route, run each handler once, or dead-letter the record.

Records of one poll are applied in one transaction (one inbox insert, one outbox insert,
one commit for all of them), which is what makes a busy consumer cheap. A record that breaks
its contract is dead-lettered between such transactions; when a batch fails for a reason of
its own (a duplicate, a refusal, a failing handler) nothing of it was written, and its
records are applied one by one, each with its own inbox mark, retries and outcome.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeAlias

from aiokafka.structs import ConsumerRecord
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from civiloop_contracts.codec import decode
from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import REGISTRY, ContractError
from civiloop_platform.errors import Outage, is_outage
from civiloop_platform.kafka.dlq import send_to_dlq
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.logs import event_context, get_logger
from civiloop_platform.messages import Received, Subscription
from civiloop_platform.metrics import (
    EVENTS_DLQ,
    EVENTS_DUPLICATE,
    EVENTS_FAILED,
    EVENTS_HANDLED,
    EVENTS_IGNORED,
    HANDLE_SECONDS,
)
from civiloop_platform.store.unit_of_work import AlreadyApplied, MongoUnitOfWork

log = get_logger(__name__)

# In-place retries of a failing handler: 4 attempts with 0.1-0.4 s pauses between them.
MAX_ATTEMPTS = 4
BACKOFF_MAX_S = 1.0
BATCH_MAX = 100  # records in one transaction: keeps it short and its write set small
Record: TypeAlias = "ConsumerRecord[bytes, bytes]"


def _worth_retrying(exc: BaseException) -> bool:
    """Retry a handler's own failures in place; never a cancellation, duplicate or outage."""
    # tenacity sees CancelledError too: retrying it would make a consumer unstoppable.
    return isinstance(exc, Exception) and not isinstance(exc, AlreadyApplied | ContractError) \
        and not is_outage(exc)


def dedup_key(group: str, envelope: Envelope) -> str:
    """The inbox key of an event for a group: CloudEvents identify an event by (source, id)."""
    # Two station frontends may pick the same id; only the pair names one event.
    return f"{group}:{envelope.source}:{envelope.id}"


def _published_on(event_type: str, topic: str) -> bool:
    """True when the contract publishes ``event_type`` on ``topic``."""
    model = REGISTRY.models.get(event_type)
    return model is not None and model.topic == topic


class Outcome(Enum):
    """What became of one record."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    DEAD_LETTERED = "dead_lettered"


class Applier:
    """Applies records for one subscription of one service."""

    def __init__(self, sub: Subscription, *, service: str,
                 uow_factory: Callable[[], MongoUnitOfWork], producer: EventProducer) -> None:
        self.sub, self.service = sub, service
        self.uow_factory, self.producer = uow_factory, producer

    async def apply(self, record: ConsumerRecord[bytes, bytes]) -> Outcome:
        """Apply ``record`` once for the group, or dead-letter it; an outage raises Outage."""
        received = self._verdict(record)
        if isinstance(received, str):
            return await self._dead_letter(record, received)
        if received is None:
            EVENTS_IGNORED.labels(self.service, record.topic).inc()
            return Outcome.IGNORED
        with event_context(received.envelope):
            return await self._handle(record, received)

    async def apply_all(self, records: Sequence[Record], stop: asyncio.Event | None = None
                        ) -> int:
        """Apply ``records`` in order, in as few transactions as they allow; how many are done.

        Done means applied, duplicate, ignored or dead-lettered. An outage (or ``stop``)
        ends the pass: the records from the first one not done on are to be read again.
        """
        done, group = 0, list[tuple[Record, Received[Any] | None]]()
        for record in records:
            if stop is not None and stop.is_set():
                break
            verdict = self._verdict(record)
            if not isinstance(verdict, str):
                group.append((record, verdict))
                if len(group) < BATCH_MAX:
                    continue
            finished = await self._apply_group(group)
            done += finished
            if finished < len(group):
                return done
            group = []
            if isinstance(verdict, str):
                try:
                    await self._dead_letter(record, verdict)
                except Outage as exc:
                    _outage(record, exc)
                    return done
                done += 1
        return done + await self._apply_group(group)

    def _verdict(self, record: Record) -> Received[Any] | str | None:
        """The typed event, None for a type this group ignores, or why it is dead-lettered."""
        try:
            return self._validate(record)
        except ContractError as exc:
            return f"contract: {exc.reason}"
        except Exception as exc:  # a validator or upcaster bug: the record cannot be read
            return f"contract: {type(exc).__name__}: {exc}"

    async def _apply_group(self, group: list[tuple[Record, Received[Any] | None]]) -> int:
        """Apply a run of valid records, together if they can be; how many are done."""
        handled = [(r, e) for r, e in group if e is not None]
        if len(handled) > 1:
            try:
                await self._handle_all(handled)
            except Outage as exc:
                _outage(group[0][0], exc)
                return 0
            except Exception as exc:  # nothing was written: apply them one by one instead
                log.info("batch not applied whole; one by one", records=len(handled),
                         reason=repr(exc)[:200])
            else:
                for record, received in group:
                    if received is None:
                        EVENTS_IGNORED.labels(self.service, record.topic).inc()
                return len(group)
        for i, (record, received) in enumerate(group):
            try:
                if received is None:
                    EVENTS_IGNORED.labels(self.service, record.topic).inc()
                    continue
                with event_context(received.envelope):
                    await self._handle(record, received)
            except Outage as exc:
                _outage(record, exc)
                return i
        return len(group)

    async def _handle_all(self, handled: list[tuple[Record, Received[Any]]]) -> None:
        """Apply every record in one transaction, or raise and write nothing."""
        started = time.perf_counter()
        works = [functools.partial(self._run_handler, received) for _, received in handled]
        keys = [dedup_key(self.sub.group, received.envelope) for _, received in handled]
        try:
            await self.uow_factory().run_all(works, dedup_keys=keys)
        except Exception as exc:
            if is_outage(exc):
                raise Outage(repr(exc)) from exc
            raise
        each = (time.perf_counter() - started) / len(handled)
        for record, received in handled:
            EVENTS_HANDLED.labels(self.service, record.topic, received.envelope.type).inc()
            HANDLE_SECONDS.labels(self.service, record.topic).observe(each)

    async def _run_handler(self, received: Received[Any], uow: Any) -> None:
        with event_context(received.envelope):
            await self.sub.handlers[type(received.payload)](received, uow)

    def _validate(self, record: ConsumerRecord[bytes, bytes]) -> Received[Any] | None:
        """The typed event, None for a type this group ignores, or ContractError."""
        try:
            envelope = decode(record.value, record.headers, key=record.key)
        except ContractError:
            if self.sub.owns_dead_letters:
                raise
            return None  # the topic's dead-letter owner parks it, once
        if not self.sub.handles(envelope.type):
            # On a shared strict topic (intake) another service's type is not ours to judge;
            # a type the contract does not publish on this topic is bad input.
            if self.sub.strict_types and self.sub.owns_dead_letters \
                    and not _published_on(envelope.type, record.topic):
                raise ContractError(f"type: {envelope.type} is not accepted on {record.topic}")
            return None
        payload = REGISTRY.parse(envelope)
        wanted = self.sub.wants.get(type(payload))
        if wanted is not None and not wanted(payload):
            return None  # its handler would write nothing: no inbox mark, no transaction
        return Received(payload, envelope)

    async def _handle(self, record: ConsumerRecord[bytes, bytes],
                      received: Received[Any]) -> Outcome:
        handler, started = self.sub.handlers[type(received.payload)], time.perf_counter()
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(MAX_ATTEMPTS), reraise=True,
                wait=wait_exponential(multiplier=0.1, max=BACKOFF_MAX_S),
                retry=retry_if_exception(_worth_retrying),
            ):
                with attempt:
                    await self.uow_factory().run(
                        lambda uow: handler(received, uow),
                        dedup_key=dedup_key(self.sub.group, received.envelope))
        except AlreadyApplied:
            EVENTS_DUPLICATE.labels(self.service, record.topic).inc()
            return Outcome.DUPLICATE
        except ContractError as exc:  # the handler judged the event bad: no retry helps
            return await self._dead_letter(record, f"rejected: {exc.reason}")
        except Exception as exc:
            if is_outage(exc):
                raise Outage(repr(exc)) from exc
            EVENTS_FAILED.labels(self.service, record.topic, type(exc).__name__).inc()
            log.exception("handler failed; dead-lettering", attempts=MAX_ATTEMPTS)
            return await self._dead_letter(
                record, f"handler: {type(exc).__name__}: {exc} (after {MAX_ATTEMPTS} attempts)")
        EVENTS_HANDLED.labels(self.service, record.topic, received.envelope.type).inc()
        HANDLE_SECONDS.labels(self.service, record.topic).observe(time.perf_counter() - started)
        return Outcome.APPLIED

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str) -> Outcome:
        try:
            await send_to_dlq(self.producer, record, reason=reason, group=self.sub.group)
        except Exception as exc:  # not dead-lettered means not done: retry the record later
            raise Outage(f"dead-letter send failed: {exc!r}") from exc
        EVENTS_DLQ.labels(self.service, record.topic).inc()
        log.warning("event dead-lettered", topic=record.topic, offset=record.offset, reason=reason)
        return Outcome.DEAD_LETTERED


def _outage(record: Record, exc: Exception) -> None:
    log.warning("outage while applying; will retry", topic=record.topic,
                partition=record.partition, offset=record.offset, error=repr(exc))
