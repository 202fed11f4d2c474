"""The full-scale Kun District loader at a reduced scale (CI): through the services' own bulk
APIs, stats then reads as the report does (14.7%, organisations, teams, honours by title,
hours per volunteer near 20 h), and the volunteers' lists page and search at that size."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from civiloop_devstack.demo import bearer, until
from civiloop_devstack.district.plan import CENTRE, TEAM_KINDS, DistrictPlan
from civiloop_devstack.district.run import load_district
from tests.e2e.stack import Stack

pytestmark = pytest.mark.timeout(1500)
SCALE = 0.03  # 3,420 volunteers in 4 communities
ADMIN = bearer("district_admin", "full-test")


@dataclass(frozen=True)
class Before:
    """What the session's shared stack held before the load (other e2e modules' data)."""

    figures: dict[str, Any]
    honours: Counter[str]
    volunteers: int


@pytest.fixture(scope="module")
def before(stack: Stack) -> Before:
    """The figures, honours and volunteers already on the stack: the load adds to them."""
    figures = _get(stack, "stats", "/api/v1/stats/figures", unit=CENTRE,
                   since="2025-01-01") if _known(stack) else {"figures": {}}
    return Before({k: v or 0 for k, v in figures["figures"].items()}, _honours(stack),
                  _get(stack, "volunteers", "/api/v1/volunteers", page_size=1)["total"])


@pytest.fixture(scope="module")
def loaded(stack: Stack, before: Before) -> DistrictPlan:
    """The district at ``SCALE``, loaded once for this module's stack."""
    plan = DistrictPlan(SCALE)
    asyncio.run(load_district(stack.urls, plan))
    return plan


def _known(stack: Stack) -> bool:
    """Whether stats knows the centre yet (a fresh stack has no tree)."""
    reply = httpx.get(f"{stack.urls['stats']}/api/v1/stats/figures", timeout=60,
                      params={"unit": CENTRE}, headers=ADMIN)
    return reply.status_code == 200


def _honours(stack: Stack) -> Counter[str]:
    if not _known(stack):
        return Counter()
    rows = _get(stack, "stats", "/api/v1/stats/tables/honours", unit=CENTRE)["rows"]
    by_title = Counter[str]()
    for row in rows:
        by_title[row["title"]] += row["honours"]
    return by_title


def _get(stack: Stack, service: str, path: str, **params: Any) -> Any:
    reply = httpx.get(f"{stack.urls[service]}{path}", params=params, headers=ADMIN, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_stats_reads_the_district_as_the_report_does(stack: Stack, before: Before,
                                                     loaded: DistrictPlan) -> None:
    was = before.figures

    def figures() -> dict[str, Any] | None:
        reply = httpx.get(f"{stack.urls['stats']}/api/v1/stats/figures", timeout=60,
                          params={"unit": CENTRE, "since": "2025-01-01"}, headers=ADMIN)
        found = reply.json().get("figures", {}) if reply.status_code == 200 else {}
        done = (found.get("registered_volunteers") == was.get("registered_volunteers", 0)
                + loaded.volunteers
                and found.get("honours") == was.get("honours", 0) + sum(loaded.honours().values())
                and (found.get("hours_per_registered_volunteer") or 0) > 10)
        return found if done else None
    shown = until(figures, "stats counts the district", within_s=600)
    # The session's stack may hold the demo district too (also 14.7%): the load adds to it.
    assert round(shown["registration_rate"], 3) == 0.147  # 14.7%, rates keep 4 places
    assert shown["population"] == was.get("population", 0) + loaded.residents
    assert shown["organisations"] == was.get("organisations", 0) + loaded.organisations
    assert shown["teams"] == was.get("teams", 0) + len(loaded.stations) * len(TEAM_KINDS)
    assert 15 <= shown["hours_per_registered_volunteer"] <= 25  # drawn around 20 h
    assert _honours(stack) - before.honours == Counter(loaded.honours())


def test_the_lists_page_and_search_at_this_size(stack: Stack, before: Before,
                                                loaded: DistrictPlan) -> None:
    everyone = before.volunteers + loaded.volunteers
    first = _get(stack, "volunteers", "/api/v1/volunteers", page_size=50)
    assert first["total"] == everyone
    last_page = -(-everyone // 50)
    last = _get(stack, "volunteers", "/api/v1/volunteers", page_size=50, page=last_page)
    assert len(last["items"]) == everyone - 50 * (last_page - 1)
    number = loaded.person(123)["volunteer_number"]
    [found] = _get(stack, "volunteers", "/api/v1/volunteers", q=number)["items"]
    assert found["volunteer_number"] == number
    orgs = _get(stack, "volunteers", "/api/v1/volunteers/organisations", q="KQ-ORG-000")
    assert orgs["total"] == min(loaded.organisations, 9)
    org = orgs["items"][0]["organisation_id"]
    detail = _get(stack, "volunteers", f"/api/v1/volunteers/organisations/{org}")
    assert detail["figures"]["members"] == detail["members"] > 0
