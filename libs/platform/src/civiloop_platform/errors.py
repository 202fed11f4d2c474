"""Which failures are outages (wait and retry the same record) rather than bad events."""

from __future__ import annotations

from aiokafka.errors import KafkaError
from pymongo.errors import ConnectionFailure, PyMongoError, WriteConcernError

# A record that fails with one of these is never dead-lettered: the cause is outside it.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionFailure, KafkaError, TimeoutError)
_TRANSIENT_LABELS = ("TransientTransactionError", "UnknownTransactionCommitResult")


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says Kafka or MongoDB is away or slow, not that the event is bad."""
    if isinstance(exc, (*INFRASTRUCTURE_ERRORS, WriteConcernError)):
        return True
    # pymongo reports timeouts (timeoutMS, MaxTimeMSExpired) as OperationFailure subclasses.
    return isinstance(exc, PyMongoError) and (
        exc.timeout or any(exc.has_error_label(label) for label in _TRANSIENT_LABELS))


class Outage(Exception):
    """Raised in place of an outage error so callers catch one type; the cause is chained."""
