"""The steps of the full-scale load, each through a service's own (bulk) API."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from civiloop_devstack.demo import bearer
from civiloop_devstack.district.plan import CENTRE, LEI_FENG_KINDS, TEAM_KINDS, DistrictPlan
from civiloop_devstack.load.api import Api, admin

Tick = Callable[[int], None]
V = "/api/v1/volunteers"
COLUMNS = ["姓名", "身份证号", "手机号", "志愿者编号", "中心", "所", "站", "专长", "平台"]
IMPORT_POLL_S = 0.5


def unit(station: str, town: str) -> dict[str, str]:
    """The UnitRef of a community station."""
    return {"centre": CENTRE, "institute": town, "station": station}


async def units(api: Api, plan: DistrictPlan, tick: Tick) -> None:
    """The tree (requests) and each community's population (stats)."""
    await api.call("requests", "PUT", f"/api/v1/requests/units/{CENTRE}", admin(),
                   json={"name": "昆区新时代文明实践中心", "level": "centre", "parent": None})
    for i, town in enumerate(plan.institutes):
        await api.call("requests", "PUT", f"/api/v1/requests/units/{town}", admin(), json={
            "name": f"第{i + 1}镇(街道)新时代文明实践所", "level": "institute", "parent": CENTRE})
    stations = plan.stations
    for i, (code, town) in enumerate(stations):
        await api.call("requests", "PUT", f"/api/v1/requests/units/{code}", admin(), json={
            "name": f"{code} 社区新时代文明实践站", "level": "station", "parent": town})
        residents = plan.share(plan.residents, i, len(stations))
        await api.call("stats", "PUT", f"/api/v1/stats/units/{code}", admin(), json={
            "population": [{"since": "2024-01-01", "residents": residents}]})
        tick(1)


def _csv(plan: DistrictPlan, station: str, town: str, first: int, count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for n in range(first, first + count):
        p = plan.person(n)
        specialty, platform = TEAM_KINDS[n % len(TEAM_KINDS)]
        writer.writerow([p["name"], p["id_number"], p["phone"], p["volunteer_number"], CENTRE,
                         town, station, specialty, platform])
    return out.getvalue().encode()


async def _import(api: Api, data: bytes, tick: Tick) -> list[str]:
    started = await api.call("volunteers", "POST", f"{V}/imports/volunteers",
                             {**admin(), "Content-Type": "text/csv"}, content=data)
    seen = 0
    while True:
        report = await api.read("volunteers", f"{V}/imports/{started['import_id']}", admin())
        done = report.get("accepted", 0) + report.get("refused", 0)
        tick(done - seen)
        seen = done
        if report["status"] != "running":
            if report["status"] != "done":
                raise RuntimeError(f"import {started['import_id']}: {report['status']}")
            return [row["id"] for row in report["rows"] if row["status"] == "accepted"]
        await asyncio.sleep(IMPORT_POLL_S)


async def volunteers(api: Api, plan: DistrictPlan, tick: Tick,
                     parallel: int = 2) -> dict[str, list[str]]:
    """Every community's volunteers by CSV import (one file each, ``parallel`` at a time)."""
    stations, gate = plan.stations, asyncio.Semaphore(parallel)
    firsts = [sum(plan.share(plan.volunteers, j, len(stations)) for j in range(i))
              for i in range(len(stations))]

    async def one(i: int, station: str, town: str) -> tuple[str, list[str]]:
        async with gate:
            count = plan.share(plan.volunteers, i, len(stations))
            return station, await _import(api, _csv(plan, station, town, firsts[i], count), tick)
    done = await asyncio.gather(*(one(i, s, t) for i, (s, t) in enumerate(stations)))
    return dict(done)


async def organisations(api: Api, plan: DistrictPlan, people: dict[str, list[str]],
                        tick: Tick) -> dict[str, str]:
    """The organisations, spread over the communities, each with members from its own."""
    stations, made = plan.stations, dict[str, str]()
    for k in range(plan.organisations):
        station, town = stations[k % len(stations)]
        org = await api.call("volunteers", "POST", f"{V}/organisations", admin(), json={
            "name": f"昆区志愿服务组织{k + 1:03d}", "unit": unit(station, town),
            "number": f"KQ-ORG-{k + 1:04d}", "kind": ["association", "social_organisation",
                                                      "institution"][k % 3]})
        here = people[station]
        share = len(here) // max(1, (plan.organisations + len(stations) - 1) // len(stations))
        members = plan.rng.sample(here, min(len(here), max(1, share // 2)))
        for start in range(0, len(members), 1000):
            await api.call("volunteers", "POST", f"{V}/organisations/{org['organisation_id']}"
                           "/members", admin(), json={"volunteer_ids": members[start:start + 1000]})
        made[station] = made.get(station) or org["organisation_id"]
        tick(1)
    return made


async def teams(api: Api, plan: DistrictPlan, people: dict[str, list[str]],
                orgs: dict[str, str], tick: Tick) -> dict[str, list[str]]:
    """A team of each of the six kinds in every community; members are its volunteers."""
    made: dict[str, list[str]] = {}
    for station, town in plan.stations:
        for k, (specialty, platform) in enumerate(TEAM_KINDS):
            members = people[station][k::len(TEAM_KINDS)][:20]
            team = await api.call("volunteers", "POST", f"{V}/teams", admin(), json={
                "name": f"{station}第{k + 1}志愿服务队", "specialty": specialty,
                "platform": platform, "unit": unit(station, town),
                "organisation_id": orgs.get(station), "leader_id": members[0] if members else None,
                "member_ids": members})
            made.setdefault(station, []).append(team["team_id"])
        tick(1)
    return made


async def hours(api: Api, plan: DistrictPlan, people: dict[str, list[str]], tick: Tick,
                parallel: int = 2) -> int:
    """Service hours from activity sheets: each volunteer's day-long lines, 500 a sheet."""
    gate, sheets = asyncio.Semaphore(parallel), []
    day0 = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 学雷锋纪念日, 09:00 in Baotou
    for station, _ in plan.stations:
        by_day: dict[int, list[dict[str, Any]]] = {}
        for volunteer_id in people[station]:
            for d, h in enumerate(plan.hours_of()):
                by_day.setdefault(d, []).append({"volunteer_id": volunteer_id, "hours": h})
        for d, lines in sorted(by_day.items()):
            start = day0 + timedelta(days=7 * d)
            for part in range(0, len(lines), 500):
                sheets.append({"activity": {
                    "activity_id": f"act-{station}-{d}-{part // 500}", "name": "志愿服务活动日",
                    "start": start.isoformat(), "end": (start + timedelta(hours=8)).isoformat()},
                    "content": "新时代文明实践志愿服务", "lines": lines[part:part + 500]})

    async def one(sheet: dict[str, Any]) -> None:
        async with gate:
            await api.call("volunteers", "POST", f"{V}/hours/sheets", admin(), json=sheet)
            tick(len(sheet["lines"]))
    await asyncio.gather(*(one(s) for s in sheets))
    return sum(len(s["lines"]) for s in sheets)


async def honours(api: Api, plan: DistrictPlan, tick: Tick) -> None:
    """The report's honours, recorded as conferred (six titles; 学雷锋 in its four kinds)."""
    stations = plan.stations
    for title, count in plan.honours().items():
        for k in range(count):
            station, town = stations[k % len(stations)]
            body = {"title": title, "level": ["national", "city", "district"][k % 3]
                    if title != "filial_youth" else "national", "year": 2019 + k % 7,
                    "holder_name": plan.person(10_000_000 + k)["name"][:8],
                    "unit": unit(station, town), "story": "热心公益，常年服务社区居民"}
            if title == "lei_feng":
                body["lei_feng_kind"] = LEI_FENG_KINDS[k % 4]
            await api.call("volunteers", "POST", f"{V}/honours", admin(), json=body)
            tick(1)


async def survey(api: Api, plan: DistrictPlan, tick: Tick, residents: int = 220) -> None:
    """A needs survey at the first community, answered by ``residents`` residents."""
    station, town = plan.stations[0]
    operator = bearer("station_operator", "full-op", station, town, CENTRE)
    categories = ["free_clinic", "legal_aid", "cultural_performance", "policy_lecture",
                  "health_education"]
    made = await api.call("requests", "POST", "/api/v1/requests/surveys", operator, json={
        "unit": unit(station, town), "title": "2026年居民服务需求调查", "categories": categories})
    for i in range(residents):
        chosen = [c for j, c in enumerate(categories) if (i + j) % (j + 2) == 0] or ["free_clinic"]
        await api.call("requests", "POST", f"/api/v1/requests/surveys/{made['survey_id']}"
                       "/answers", bearer("resident", f"full-res-{i}"), json={"chosen": chosen})
        tick(1)


async def activities(api: Api, plan: DistrictPlan, tick: Tick) -> None:
    """The hook for activities (1,000+ held, 900+ served at the model station): activities
    are another engineer's work (issue 17); this step loads them once their API exists."""
    return None
