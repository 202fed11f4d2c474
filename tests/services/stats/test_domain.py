"""The figure rules on their own: percentiles, history as of a moment, periods, tree, stars."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.facts import Change, OrderFacts, Place, Snapshot, VolunteerFacts, as_of
from civiloop_stats.domain.figures import closed_unrated_at, summarise
from civiloop_stats.domain.periods import Grain, buckets
from civiloop_stats.domain.quantiles import percentile
from civiloop_stats.domain.scope import Scope
from civiloop_stats.domain.tables import volunteers_by_star_level
from civiloop_stats.domain.units import Population, Tree, Unit

T0 = datetime(2025, 5, 1, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0  # the mean of the middle two
    assert percentile([40.0, 10.0, 30.0, 20.0], 90) == pytest.approx(37.0)


def test_the_value_in_force_is_the_latest_change_not_after_the_moment() -> None:
    history = [Change(at(5), "left"), Change(at(0), "active"), Change(at(9), "active")]
    assert as_of(history, at(-1)) is None
    assert as_of(history, at(4)) == "active"
    assert as_of(history, at(5)) == "left"
    assert as_of(history, at(10)) == "active"


def test_a_reopened_order_is_no_longer_closed_unrated() -> None:
    order = OrderFacts("o1", closes=(Change(at(1), "unrated"),), reopens=(at(2),))
    assert closed_unrated_at(order, at(1.5)) == at(1)
    assert closed_unrated_at(order, at(3)) is None
    rated_later = OrderFacts("o2", closes=(Change(at(1), "unrated"), Change(at(4), "rated")),
                             reopens=(at(2),))
    assert closed_unrated_at(rated_later, at(5)) is None


def test_ratios_are_undefined_without_a_denominator() -> None:
    scope = Scope(level=UnitLevel.CENTRE, code="kq", as_of=at(10))
    figures = summarise(Snapshot(), scope, population=None)
    assert figures["registration_rate"] is None
    assert figures["hours_per_registered_volunteer"] is None
    assert figures["average_stars"] is None
    assert figures["orders_placed"] == 0


def test_scope_filters_orders_by_unit_platform_and_category() -> None:
    order = OrderFacts("o1", place=Place("kq", "kh", "wh"), platform="science",
                       category="health_check", placed_at=at(1))
    snapshot = Snapshot(orders={"o1": order})
    base = Scope(level=UnitLevel.INSTITUTE, code="kh", as_of=at(2))
    assert summarise(snapshot, base, None)["orders_placed"] == 1
    assert summarise(snapshot, base.narrowed(platform="culture"), None)["orders_placed"] == 0
    assert summarise(snapshot, base.narrowed(level=UnitLevel.STATION, code="hd"),
                     None)["orders_placed"] == 0
    assert summarise(snapshot, base.narrowed(since=at(1.5)), None)["orders_placed"] == 0


def test_months_and_days_are_the_districts_own() -> None:
    since = datetime(2025, 4, 30, 16, 0, tzinfo=UTC)  # 1 May 00:00 in Shanghai
    until = datetime(2025, 6, 2, 0, 0, tzinfo=UTC)
    assert [b[0] for b in buckets(since, until, Grain.MONTH, SHANGHAI)] == ["2025-05", "2025-06"]
    days = buckets(since, since + timedelta(days=2), Grain.DAY, SHANGHAI)
    assert [b[0] for b in days] == ["2025-05-01", "2025-05-02", "2025-05-03"]
    assert days[0][2] - days[0][1] == timedelta(days=1, milliseconds=-1)
    assert [b[0] for b in buckets(since, until, Grain.YEAR, SHANGHAI)] == ["2025"]


def _tree() -> Tree:
    tree = Tree()
    for unit in (Unit("kq", "昆区", UnitLevel.CENTRE),
                 Unit("kh", "昆河镇", UnitLevel.INSTITUTE, "kq"),
                 Unit("wh", "万和", UnitLevel.STATION, "kh",
                      population=(Population(date(2024, 1, 1), 100),
                                  Population(date(2025, 6, 1), 120))),
                 Unit("hd", "河东", UnitLevel.STATION, "kh",
                      population=(Population(date(2025, 1, 1), 50),))):
        tree.units[unit.code] = unit
    return tree


def test_population_rolls_up_and_changes_on_its_date() -> None:
    tree = _tree()
    assert tree.population("wh", datetime(2025, 5, 31, tzinfo=UTC)) == 100
    assert tree.population("kq", datetime(2025, 5, 31, tzinfo=UTC)) == 150
    assert tree.population("kq", datetime(2025, 6, 1, tzinfo=UTC)) == 170
    assert tree.population("kq", datetime(2024, 6, 1, tzinfo=UTC)) == 100
    assert tree.place("wh") == Place("kq", "kh", "wh")
    assert tree.within("wh", "kq")
    assert not tree.within("kq", "wh")


def test_star_levels_are_the_volunteers_services_not_a_table_of_hours() -> None:
    here = (Change(at(0), Place("kq", "kh", "wh")),)
    volunteers = [
        VolunteerFacts("v1", at(0), here, stars=(Change(at(1), 1), Change(at(5), 3))),
        VolunteerFacts("v2", at(0), here, stars=(Change(at(2), 2),)),
        VolunteerFacts("v3", at(0), here),
        VolunteerFacts("v4", at(0), here, (Change(at(0), "left"),), (Change(at(1), 5),))]
    snapshot = Snapshot(volunteers=volunteers)
    scope = Scope(level=UnitLevel.CENTRE, code="kq", as_of=at(4))
    assert [r["volunteers"] for r in volunteers_by_star_level(snapshot, scope)] == [1, 1, 1, 0,
                                                                                  0, 0]
    later = Scope(level=UnitLevel.CENTRE, code="kq", as_of=at(6))
    assert [r["volunteers"] for r in volunteers_by_star_level(snapshot, later)] == [1, 0, 1, 1,
                                                                                  0, 0]
