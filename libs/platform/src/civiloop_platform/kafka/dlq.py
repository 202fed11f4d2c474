"""Dead letters: the original key, value and headers on ``<topic>.dlq``, plus where and why."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.topics import dlq_of
from civiloop_platform.kafka.producer import EventProducer, Outgoing

REASON_HEADER = "dlq-reason"
REASON_LIMIT = 2000  # headers travel with every fetch of the record: keep them short


def dead_letter(record: ConsumerRecord[bytes, bytes], *, reason: str, group: str) -> Outgoing:
    """The DLQ record for ``record``: same key and value, original headers, plus where and why."""
    headers = list(record.headers or ())
    headers += [
        (REASON_HEADER, reason[:REASON_LIMIT].encode()),
        ("dlq-original-topic", record.topic.encode()),
        ("dlq-original-partition", str(record.partition).encode()),
        ("dlq-original-offset", str(record.offset).encode()),
        ("dlq-consumer-group", group.encode()),
        ("dlq-failed-at", utcnow().isoformat().encode()),
    ]
    return Outgoing(dlq_of(record.topic), record.key, record.value or b"", headers)


async def send_to_dlq(producer: EventProducer, record: ConsumerRecord[bytes, bytes], *,
                      reason: str, group: str) -> None:
    """Publish ``record`` to its dead-letter topic; raises if Kafka did not acknowledge it."""
    await producer.send_all([dead_letter(record, reason=reason, group=group)])
