"""Metrics of the feedback service's use cases (the platform's own are in civiloop_platform)."""

from __future__ import annotations

from prometheus_client import Counter

RATINGS_LAPSED = Counter(
    "civiloop_feedback_ratings_lapsed_total",
    "Served orders closed unrated because nobody rated them within RATING_LAPSE_DAYS.")
