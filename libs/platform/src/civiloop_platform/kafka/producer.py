"""An idempotent Kafka producer whose every send and stop is bounded by a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, OutOfOrderSequenceNumber

from civiloop_contracts.codec import Headers
from civiloop_platform.logs import get_logger

log = get_logger(__name__)
REPLACE_AFTER_FAILURES = 3


class Outgoing:
    """One record to send: topic, key, value and headers."""

    __slots__ = ("headers", "key", "topic", "value")

    def __init__(self, topic: str, key: bytes | None, value: bytes, headers: Headers) -> None:
        self.topic, self.key, self.value, self.headers = topic, key, value, headers


def _new_producer(bootstrap: str, client_id: str, timeout_s: float) -> AIOKafkaProducer:
    # aiokafka's defaults are acks=1 and no idempotence: a leader failover could lose or
    # duplicate records. Idempotence implies acks=all and keeps per-partition order.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id=client_id,
        enable_idempotence=True, acks="all",
        request_timeout_ms=int(timeout_s * 1000), linger_ms=5,
        retry_backoff_ms=200, metadata_max_age_ms=60_000,
    )


class EventProducer:
    """Sends records with acks from all in-sync replicas, or raises within the timeout.

    Shared by the relay and every consumer task of a service. A producer that broke
    (out of sequence, or timing out again and again) is discarded, and the next send
    starts a new one, so a bad moment of the broker does not leave the service mute.
    """

    def __init__(self, bootstrap: str, client_id: str, *, send_timeout_s: float,
                 stop_timeout_s: float) -> None:
        self.bootstrap, self.client_id = bootstrap, client_id
        self.send_timeout_s, self.stop_timeout_s = send_timeout_s, stop_timeout_s
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        self._failures = 0
        self._stopped = False

    @property
    def started(self) -> bool:
        """True while a producer is up and its recent sends were acknowledged."""
        return self._producer is not None and self._failures < REPLACE_AFTER_FAILURES

    async def start(self) -> None:
        """Connect to the cluster, or raise after the send timeout."""
        self._stopped = False
        await self._ready()

    async def _ready(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._stopped:
                raise RuntimeError("producer stopped")
            if self._producer is None:
                producer = _new_producer(self.bootstrap, self.client_id, self.send_timeout_s)
                try:
                    await asyncio.wait_for(producer.start(), self.send_timeout_s)
                except BaseException:
                    await self._close(producer)
                    raise
                self._producer, self._failures = producer, 0
            return self._producer

    async def stop(self) -> None:
        """Flush and close, giving up after the stop timeout (a dead broker must not hang us)."""
        async with self._lock:
            self._stopped = True
            producer, self._producer = self._producer, None
        if producer is not None:
            await self._close(producer)

    async def _close(self, producer: AIOKafkaProducer) -> None:
        try:
            await asyncio.wait_for(producer.stop(), self.stop_timeout_s)
        except (TimeoutError, Exception) as exc:  # closing must not fail the caller
            log.warning("kafka producer stop failed", error=repr(exc))

    async def send_all(self, records: Sequence[Outgoing]) -> None:
        """Send ``records`` and wait for every acknowledgement, or raise within the timeout."""
        producer = await self._ready()
        try:
            await asyncio.wait_for(self._send_all(producer, records), self.send_timeout_s)
        except OutOfOrderSequenceNumber:
            # The idempotent producer's sequence state is broken: only a new one recovers.
            await self._discard(producer, "out of sequence")
            raise
        except (TimeoutError, KafkaError):
            self._failures += 1
            if self._failures >= REPLACE_AFTER_FAILURES:  # its sender may be dead: start anew
                await self._discard(producer, f"{self._failures} failed sends in a row")
            raise
        self._failures = 0

    async def _discard(self, producer: AIOKafkaProducer, why: str) -> None:
        async with self._lock:
            if self._producer is not producer:
                return  # another caller already replaced it
            self._producer = None
        log.warning("discarding kafka producer; the next send starts a new one", why=why)
        await self._close(producer)

    @staticmethod
    async def _send_all(producer: AIOKafkaProducer, records: Sequence[Outgoing]) -> None:
        futures = [await producer.send(r.topic, r.value, key=r.key, headers=r.headers)
                   for r in records]
        await asyncio.gather(*futures)
