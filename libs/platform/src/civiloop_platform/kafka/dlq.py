"""Dead letters: the original key, value and headers on ``<topic>.dlq``, plus where and why."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord

from civiloop_contracts.codec import Headers, encode
from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.topics import dlq_of
from civiloop_platform.kafka.producer import EventProducer, Outgoing

REASON_HEADER = "dlq-reason"
REASON_LIMIT = 2000  # headers travel with every fetch of the record: keep them short


def _why(topic: str, reason: str, group: str) -> Headers:
    """The headers that say where a dead letter came from, who refused it, when and why."""
    return [(REASON_HEADER, reason[:REASON_LIMIT].encode()),
            ("dlq-original-topic", topic.encode()),
            ("dlq-consumer-group", group.encode()),
            ("dlq-failed-at", utcnow().isoformat().encode())]


def dead_letter(record: ConsumerRecord[bytes, bytes], *, reason: str, group: str) -> Outgoing:
    """The DLQ record for ``record``: same key and value, original headers, plus where and why."""
    headers = [*(record.headers or ()), *_why(record.topic, reason, group),
               ("dlq-original-partition", str(record.partition).encode()),
               ("dlq-original-offset", str(record.offset).encode())]
    return Outgoing(dlq_of(record.topic), record.key, record.value or b"", headers)


def dead_letter_event(topic: str, envelope: Envelope, *, reason: str, group: str) -> Outgoing:
    """The DLQ record of an event read from ``topic``, kept by its consumer and refused later
    (its record is long gone: the event in structured mode, without partition and offset)."""
    record = encode(envelope)
    return Outgoing(dlq_of(topic), record.key, record.value,
                    [*record.headers, *_why(topic, reason, group)])


async def send_to_dlq(producer: EventProducer, record: ConsumerRecord[bytes, bytes], *,
                      reason: str, group: str) -> None:
    """Publish ``record`` to its dead-letter topic; raises if Kafka did not acknowledge it."""
    await producer.send_all([dead_letter(record, reason=reason, group=group)])
