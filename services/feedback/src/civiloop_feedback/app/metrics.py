"""Metrics of the feedback service's use cases (the platform's own are in civiloop_platform)."""

from __future__ import annotations

from prometheus_client import Counter

RATINGS_LAPSED = Counter(
    "civiloop_feedback_ratings_lapsed_total",
    "Served orders closed unrated because nobody rated them within RATING_LAPSE_DAYS.")
RATINGS_PARKED = Counter(
    "civiloop_feedback_ratings_parked_total",
    "Intake ratings that arrived before their order's completion, kept until it comes.")
PARKED_EXPIRED = Counter(
    "civiloop_feedback_parked_ratings_expired_total",
    "Intake ratings whose order stayed unknown for UNKNOWN_ORDER_WAIT_MIN: dead-lettered.")
PARKED_REFUSED = Counter(
    "civiloop_feedback_parked_ratings_refused_total",
    "Parked intake ratings the rules refused once the completion came (logged with the reason).")
