"""Kafka consumers with safe settings: manual commits, earliest reset, static membership."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer

# A handler must finish well inside this; retries in place are capped far below it.
MAX_POLL_INTERVAL_MS = 300_000
# Long enough that a restarting replica keeps its partitions (static membership).
SESSION_TIMEOUT_MS = 30_000
REBALANCE_TIMEOUT_MS = 30_000
# Starting joins the group, which may wait out a whole rebalance.
START_TIMEOUT_S = (REBALANCE_TIMEOUT_MS + SESSION_TIMEOUT_MS) / 1000 + 15


def make_consumer(bootstrap: str, group: str, topics: list[str], *, instance_id: str,
                  max_records: int = 100, timeout_s: float = 15.0) -> AIOKafkaConsumer:
    """A consumer that never commits on its own and starts new groups at the beginning."""
    # aiokafka's defaults (auto-commit, auto_offset_reset=latest) lose events: a commit
    # before the effect, or a new group skipping history. Both are set here, in code.
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap, group_id=group, client_id=f"{group}-{instance_id}",
        group_instance_id=f"{group}-{instance_id}",
        enable_auto_commit=False, auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_interval_ms=MAX_POLL_INTERVAL_MS, session_timeout_ms=SESSION_TIMEOUT_MS,
        rebalance_timeout_ms=REBALANCE_TIMEOUT_MS,
        heartbeat_interval_ms=3_000, max_poll_records=max_records,
        request_timeout_ms=int(timeout_s * 1000) + SESSION_TIMEOUT_MS,
        fetch_max_wait_ms=200,
    )
