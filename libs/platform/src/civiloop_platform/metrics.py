"""Prometheus metrics every service exposes on ``/metrics``; labelled by service."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_HANDLED = Counter(
    "civiloop_events_handled_total", "Events applied by a consumer.",
    ["service", "topic", "type"])
EVENTS_DUPLICATE = Counter(
    "civiloop_events_duplicate_total", "Events skipped because this group already applied them.",
    ["service", "topic"])
EVENTS_IGNORED = Counter(
    "civiloop_events_ignored_total", "Valid events of a type this consumer has no handler for.",
    ["service", "topic"])
EVENTS_FAILED = Counter(
    "civiloop_events_failed_total", "Events whose handler kept failing and were dead-lettered.",
    ["service", "topic", "reason"])
EVENTS_DLQ = Counter(
    "civiloop_events_dlq_total", "Events sent to a dead-letter topic.", ["service", "topic"])
CONSUMER_LAG = Gauge(
    "civiloop_consumer_lag", "Records on the partition not yet applied by this consumer.",
    ["service", "topic", "partition"])
HANDLE_SECONDS = Histogram(
    "civiloop_event_handle_seconds", "Time to apply one event, transaction included.",
    ["service", "topic"])
OUTBOX_BACKLOG = Gauge(
    "civiloop_outbox_backlog", "Outbox events committed but not yet published.", ["service"])
OUTBOX_PUBLISHED = Counter(
    "civiloop_outbox_published_total", "Outbox events published to Kafka.", ["service"])
COMMIT_FAILED = Counter(
    "civiloop_offset_commit_failed_total", "Offset commits refused (e.g. after a rebalance).",
    ["service"])
