"""Activity ratings (活动评价): attendees only, once each in the store; organisers see no ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from civiloop_contracts.values import Platform, Role, UnitRef
from civiloop_feedback.domain.activity import ActivitySummary, HeldActivity
from civiloop_feedback.domain.errors import NotYours
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement
from civiloop_platform.auth import Principal

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
UNIT = UnitRef(centre="kunqu", institute="kunhe", station="wanhe")
ACTIVITY = HeldActivity(activity_id="act-1", unit=UNIT, category="free_clinic",
                        platform=Platform.SCIENCE, title="义诊", attendees=["res-1", "res-2"],
                        held_at=NOW)


def _resident(subject: str) -> Rater:
    return Principal(subject=subject, role=Role.RESIDENT, station="wanhe")


def test_only_an_attendee_rates_and_the_rating_is_theirs() -> None:
    rating = ACTIVITY.rate(_resident("res-1"), Judgement(stars=4), NOW)
    assert (rating.resident_id, rating.activity_id, rating.unit) == ("res-1", "act-1", UNIT)
    assert rating.rating_id != ACTIVITY.rate(_resident("res-2"), Judgement(stars=4),
                                              NOW).rating_id  # one document per attendee
    with pytest.raises(NotYours, match="res-9 did not attend"):
        ACTIVITY.rate(_resident("res-9"), Judgement(stars=5), NOW)


def test_the_summary_counts_and_averages_without_resident_ids() -> None:
    ratings = [ACTIVITY.rate(_resident("res-1"), Judgement(stars=5), NOW),
               ACTIVITY.rate(_resident("res-2"), Judgement(stars=2, comment="太挤了"), NOW)]
    summary = ActivitySummary.of(ACTIVITY, ratings)
    assert (summary.attendees, summary.ratings, summary.mean_stars) == (2, 2, 3.5)
    assert summary.comments == ["太挤了"]
    assert "res-" not in summary.model_dump_json()
    assert ActivitySummary.of(ACTIVITY, []).mean_stars is None
