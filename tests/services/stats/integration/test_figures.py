"""Every figure of the known stream, read over HTTP from the service fed on real Kafka."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from tests.services.stats.integration.conftest import StatsService
from tests.services.stats.stream import EXPECTED_MAY_5, EXPECTED_MAY_31, MAY_5, MAY_31

pytestmark = pytest.mark.integration


async def _get(stats: StatsService, path: str, headers: dict[str, str] | None = None,
               **params: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stats.url, timeout=30) as client:
        return await client.get(f"/api/v1/stats{path}", params=params,
                                headers=stats.admin if headers is None else headers)


async def _figures(stats: StatsService, unit: str, as_of: str, **params: Any) -> dict[str, Any]:
    reply = await _get(stats, "/figures", unit=unit, as_of=as_of, **params)
    assert reply.status_code == 200, reply.text
    figures: dict[str, Any] = reply.json()["figures"]
    return figures


async def test_every_district_figure_is_right_for_the_known_stream(stats: StatsService) -> None:
    figures = await _figures(stats, stats.district.centre, MAY_31)
    assert {k: figures[k] for k in EXPECTED_MAY_31} == EXPECTED_MAY_31


async def test_registration_rate_and_hours_per_volunteer_follow_their_definitions(
        stats: StatsService) -> None:
    d = stats.district
    wanhe = await _figures(stats, d.wanhe, MAY_31)
    # 注册率 = registered ÷ population: v1, v2 and v6 (moved in on day 10); v5 left.
    assert (wanhe["registered_volunteers"], wanhe["population"]) == (3, 1000)
    assert wanhe["registration_rate"] == 0.003
    # 人均时长 = approved hours ÷ registered volunteers: (2 + 3) + 3 + 1.5 over 3.
    assert wanhe["service_hours"] == 9.5
    assert wanhe["hours_per_registered_volunteer"] == 3.17
    kunhe = await _figures(stats, d.kunhe, MAY_31)  # an institute: its stations summed
    assert (kunhe["registered_volunteers"], kunhe["population"], kunhe["service_hours"]) == (
        4, 1500, 12.0)
    # The population figure in force changes on 1 June (万和阳光 1,000 → 1,200).
    assert (await _figures(stats, d.centre, "2025-06-30"))["population"] == 2200


async def test_figures_as_of_a_past_date(stats: StatsService) -> None:
    figures = await _figures(stats, stats.district.centre, MAY_5)
    assert {k: figures[k] for k in EXPECTED_MAY_5} == EXPECTED_MAY_5
    later = await _figures(stats, stats.district.centre, "2025-06-30")
    assert (later["orders_placed"], later["orders_dispatched"], later["dispatch_median_min"]) == (
        7, 5, 30.0)


async def test_a_period_counts_only_what_happened_in_it(stats: StatsService) -> None:
    june = await _figures(stats, stats.district.centre, "2025-06-30", since="2025-06-01")
    assert (june["orders_placed"], june["orders_dispatched"], june["orders_completed"]) == (1, 1, 0)
    assert june["registered_volunteers"] == 5  # a stock: taken at the period's end


async def test_platform_and_category_tables(stats: StatsService) -> None:
    reply = await _get(stats, "/tables/platforms", unit=stats.district.centre, as_of=MAY_31)
    rows = {r["platform"]: r for r in reply.json()["rows"]}
    assert (rows["science"]["orders_placed"], rows["science"]["orders_completed"]) == (2, 2)
    assert rows["culture"]["activities_held"] == 1
    assert rows["culture"]["people_served"] == 50
    cats = await _get(stats, "/tables/categories", unit=stats.district.centre, as_of=MAY_31)
    # Other tests' events share the topics: their categories are listed at zero here.
    assert {r["category"]: r["orders_placed"] for r in cats.json()["rows"]
            if r["orders_placed"]} == {
        "fitness_class": 1, "health_check": 2, "performance": 1, "policy_lecture": 1,
        "tutoring": 1}


async def test_trend_by_day_and_month(stats: StatsService) -> None:
    months = await _get(stats, "/tables/trend", unit=stats.district.centre,
                        since="2025-05-01", as_of="2025-06-30", grain="month")
    assert [(r["period"], r["orders_placed"]) for r in months.json()["rows"]] == [
        ("2025-05", 6), ("2025-06", 1)]
    days = await _get(stats, "/tables/trend", unit=stats.district.centre,
                      since="2025-05-01", as_of="2025-05-07", grain="day")
    assert [r["orders_placed"] for r in days.json()["rows"]] == [0, 1, 1, 1, 1, 1, 1]


async def test_honours_star_levels_and_survey_demand(stats: StatsService) -> None:
    d = stats.district
    honours = await _get(stats, "/tables/honours", unit=d.centre, as_of=MAY_31)
    assert honours.json()["rows"] == [
        {"title": "good_person", "level": "city", "honours": 1},
        {"title": "moral_model", "level": "national", "honours": 1}]
    stars = await _get(stats, "/tables/star-levels", unit=d.centre, as_of=MAY_31)
    assert [r["volunteers"] for r in stars.json()["rows"]] == [5, 0, 0, 0, 0, 0]
    demand = await _get(stats, "/tables/survey-demand", unit=d.wanhe, as_of=MAY_31)
    assert [(r["rank"], r["demand"], r["answers"]) for r in demand.json()["rows"]] == [
        (1, "performance", 3), (2, "legal aid", 1), (3, "science_popularisation", 1)]


async def test_the_drill_down_table_lists_each_child_unit(stats: StatsService) -> None:
    d = stats.district
    reply = await _get(stats, "/tables/units", unit=d.kunhe, as_of=MAY_31)
    rows = {r["unit"]: r for r in reply.json()["rows"]}
    assert set(rows) == {d.wanhe, d.hedong}
    assert (rows[d.wanhe]["orders_placed"], rows[d.hedong]["orders_placed"]) == (4, 1)
    assert rows[d.hedong]["orders_closed_unrated"] == 1


@pytest.mark.parametrize("table", ["figures", "units", "platforms", "trend", "honour-board",
                                   "survey-demand"])
async def test_csv_holds_exactly_what_the_api_returns(stats: StatsService, table: str) -> None:
    params: dict[str, Any] = {"unit": stats.district.centre, "as_of": MAY_31,
                              "since": "2025-05-01"}
    as_json = (await _get(stats, f"/tables/{table}", **params)).json()
    reply = await _get(stats, f"/tables/{table}", format="csv", **params)
    assert reply.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(reply.text)))
    assert as_json["rows"]
    assert list(parsed[0]) == as_json["columns"]
    assert parsed == [{c: "" if row[c] is None else str(row[c]) for c in as_json["columns"]}
                      for row in as_json["rows"]]
