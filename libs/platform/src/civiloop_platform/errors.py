"""Which failures are outages (wait and retry the same record) rather than bad events."""

from __future__ import annotations

from aiokafka.errors import KafkaError
from pymongo.errors import ConnectionFailure

# A record that fails with one of these is never dead-lettered: the cause is outside it.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionFailure, KafkaError, TimeoutError)
