"""An idempotent Kafka producer whose every send and stop is bounded by a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import OutOfOrderSequenceNumber

from civiloop_contracts.codec import Headers
from civiloop_platform.logs import get_logger

log = get_logger(__name__)


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
    """Sends records with acks from all in-sync replicas, or raises within the timeout."""

    def __init__(self, bootstrap: str, client_id: str, *, send_timeout_s: float,
                 stop_timeout_s: float) -> None:
        self.bootstrap, self.client_id = bootstrap, client_id
        self.send_timeout_s, self.stop_timeout_s = send_timeout_s, stop_timeout_s
        self._producer: AIOKafkaProducer | None = None

    @property
    def started(self) -> bool:
        """True between a successful start and stop."""
        return self._producer is not None

    async def start(self) -> None:
        """Connect to the cluster, or raise after the send timeout."""
        producer = _new_producer(self.bootstrap, self.client_id, self.send_timeout_s)
        try:
            await asyncio.wait_for(producer.start(), self.send_timeout_s)
        except BaseException:
            await self._close(producer)
            raise
        self._producer = producer

    async def stop(self) -> None:
        """Flush and close, giving up after the stop timeout (a dead broker must not hang us)."""
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
        if self._producer is None:
            raise RuntimeError("producer not started")
        try:
            await asyncio.wait_for(self._send_all(self._producer, records), self.send_timeout_s)
        except OutOfOrderSequenceNumber:
            # The idempotent producer's sequence state is broken: only a new one recovers.
            log.warning("kafka producer out of sequence; recreating it")
            await self.stop()
            await self.start()
            raise

    @staticmethod
    async def _send_all(producer: AIOKafkaProducer, records: Sequence[Outgoing]) -> None:
        futures = [await producer.send(r.topic, r.value, key=r.key, headers=r.headers)
                   for r in records]
        await asyncio.gather(*futures)
