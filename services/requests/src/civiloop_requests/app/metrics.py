"""Metrics of the requests service's use cases (the platform's own are in civiloop_platform)."""

from __future__ import annotations

from prometheus_client import Counter

TRANSITIONS_IGNORED = Counter(
    "civiloop_requests_transitions_ignored_total",
    "Loop events that changed no order: the order is unknown, or its status forbids the step.",
    ["step", "reason"])
