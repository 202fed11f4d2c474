"""Scoring candidates for an order, with the reasons a person reads on OrderDispatched."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from civiloop_contracts.events.dispatch import Criterion, ScoreReason
from civiloop_dispatch.domain.candidates import Candidate, days_since
from civiloop_dispatch.domain.need import Need

# Weights of the score terms (they add up to 100). Fit and place first; then load, fairness
# (days since the last assignment, so work is shared) and past declines.
W_FIT, W_DISTANCE, W_LOAD, W_FAIRNESS, W_DECLINES = 40.0, 25.0, 15.0, 10.0, 10.0
FAIRNESS_FULL_AFTER_DAYS = 7.0


@dataclass(frozen=True)
class Scored:
    """A candidate with its total score in [0, 1] and the terms that make it up."""

    candidate: Candidate
    score: float
    reasons: list[ScoreReason]


def _fit(candidate: Candidate, need: Need) -> ScoreReason:
    if need.specialty is not None and need.specialty in candidate.specialties:
        return ScoreReason(criterion=Criterion.SKILL, weight=W_FIT, score=1.0,
                           note=f"specialty {need.specialty.value}")
    fits = need.platform in candidate.platforms
    return ScoreReason(criterion=Criterion.PLATFORM, weight=W_FIT, score=0.5 if fits else 0.0,
                       note=f"platform {need.platform.value}" + ("" if fits else " not served"))


def _distance(candidate: Candidate, need: Need) -> ScoreReason:
    """Hierarchy distance: own station, a covered station, the same institute, the district."""
    station, institute = need.unit.station, need.unit.institute
    covers = candidate.covers
    if station is not None and candidate.home.station == station:
        score, note = 1.0, "home station"
    elif station is not None and station in covers:
        score, note = 0.8, "covers the station"
    elif institute is not None and candidate.home.institute == institute:
        score, note = 0.6, "same institute"
    else:
        score, note = 0.3, "elsewhere in the district"
    return ScoreReason(criterion=Criterion.DISTANCE, weight=W_DISTANCE, score=score, note=note)


def _load(candidate: Candidate, cap: int) -> ScoreReason:
    free = max(0.0, 1.0 - candidate.load / cap)
    return ScoreReason(criterion=Criterion.LOAD, weight=W_LOAD, score=free,
                       note=f"{candidate.load} of {cap} orders open")


def _fairness(candidate: Candidate, now: datetime) -> ScoreReason:
    days = days_since(candidate.last_assigned_at, now)
    score = 1.0 if days is None else min(1.0, days / FAIRNESS_FULL_AFTER_DAYS)
    note = "never assigned" if days is None else f"last assigned {days:.1f} days ago"
    return ScoreReason(criterion=Criterion.LOAD, weight=W_FAIRNESS, score=round(score, 4),
                       note=note)


def _declines(candidate: Candidate) -> ScoreReason:
    # Declines say how available someone really is; the contract has no criterion of its own.
    return ScoreReason(criterion=Criterion.AVAILABILITY, weight=W_DECLINES,
                       score=round(1.0 / (1 + candidate.declines), 4),
                       note=f"{candidate.declines} past declines")


def score(candidate: Candidate, need: Need, now: datetime, default_cap: int) -> Scored:
    """The candidate's score for ``need``: the weighted mean of its terms."""
    reasons = [_fit(candidate, need), _distance(candidate, need),
               _load(candidate, candidate.cap(default_cap)), _fairness(candidate, now),
               _declines(candidate)]
    total = sum(r.weight * r.score for r in reasons) / 100.0
    return Scored(candidate, round(total, 4), reasons)


def rank(candidates: list[Candidate], need: Need, now: datetime, *, default_cap: int,
         utc_offset_h: int, exclude: Collection[str] = ()) -> list[Scored]:
    """Fit candidates, best first: available in the window, under their cap, not excluded.

    Ties go to the lower key, so two replicas rank the same view the same way.
    """
    fit = [score(c, need, now, default_cap) for c in candidates
           if c.active and c.key not in exclude and c.kind is need.kind
           and c.load < c.cap(default_cap) and c.available(need.window, utc_offset_h)]
    return sorted(fit, key=lambda s: (-s.score, s.candidate.key))
