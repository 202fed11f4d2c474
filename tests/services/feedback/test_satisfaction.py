"""Satisfaction figures for a known set of outcomes."""

from __future__ import annotations

from civiloop_contracts.values import Platform
from civiloop_feedback.domain.satisfaction import Dimension, Outcome, Period, figures
from tests.services.feedback.builders import at, unit


def outcome(n: int, stars: int | None, *, station: str = "st-a", volunteers: tuple[str, ...] = (
        "vol-1",), team: str | None = "team-1", category: str = "free_clinic",
        day: int = 0) -> Outcome:
    return Outcome(order_id=f"ord-{n}", round=1, unit=unit(station), category=category,
                   platform=Platform.SCIENCE, team_id=team, volunteer_ids=list(volunteers),
                   stars=stars, at=at(60 * 24 * day))


KNOWN = [outcome(1, 5), outcome(2, 4, volunteers=("vol-1", "vol-2")), outcome(3, 2),
         outcome(4, None), outcome(5, 3, station="st-b", team="team-2", category="lecture",
                                   day=31),
         outcome(6, None, station="st-b", team="team-2", category="lecture", day=31)]


def test_figures_per_station() -> None:
    a, b = figures(KNOWN, Dimension.STATION)
    assert (a.key, a.rated, a.unrated, a.average, a.share_satisfied, a.share_unrated) == (
        "st-a", 3, 1, 3.67, 0.6667, 0.25)
    assert (b.key, b.rated, b.unrated, b.average, b.share_satisfied, b.share_unrated) == (
        "st-b", 1, 1, 3.0, 0.0, 0.5)


def test_figures_per_volunteer_count_a_round_for_each_who_served() -> None:
    rows = {f.key: f for f in figures(KNOWN, Dimension.VOLUNTEER)}
    assert (rows["vol-1"].rated, rows["vol-1"].unrated, rows["vol-1"].average) == (4, 2, 3.5)
    assert (rows["vol-2"].rated, rows["vol-2"].average, rows["vol-2"].share_unrated) == (1, 4.0, 0.0)


def test_figures_per_team_category_district_and_month() -> None:
    assert [(f.key, f.rated) for f in figures(KNOWN, Dimension.TEAM)] == [
        ("team-1", 3), ("team-2", 1)]
    assert [(f.key, f.average) for f in figures(KNOWN, Dimension.CATEGORY)] == [
        ("free_clinic", 3.67), ("lecture", 3.0)]
    [district] = figures(KNOWN, Dimension.DISTRICT)
    assert (district.rated, district.unrated, district.share_unrated) == (4, 2, 0.3333)
    assert [(f.period, f.rated, f.unrated) for f in figures(KNOWN, Dimension.DISTRICT,
                                                              Period.MONTH)] == [
        ("2025-05", 3, 1), ("2025-06", 1, 1)]


def test_only_unrated_rounds_have_no_average() -> None:
    [row] = figures([outcome(1, None)], Dimension.STATION)
    assert (row.average, row.share_satisfied, row.share_unrated) == (None, None, 1.0)
