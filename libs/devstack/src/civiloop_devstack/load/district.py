"""The load run's own towns, stations and volunteers, made through the services' APIs."""

from __future__ import annotations

import asyncio

from civiloop_devstack.demo import bearer
from civiloop_devstack.load.api import Api, Refused, admin
from civiloop_devstack.load.plan import PLATFORMS, SPECIALTIES, LoadPlan

RESIDENTS_PER_STATION = 2000  # so stats shows a registration share for the run's stations
READY_WITHIN_S = 120.0


async def register_units(api: Api, plan: LoadPlan) -> None:
    """The centre (unless it exists), the run's institutes and stations (requests' tree), and
    each station's population (stats)."""
    known = {u["code"] for u in await api.call("requests", "GET", "/api/v1/requests/units",
                                               admin())}
    rows: list[tuple[str, str, str | None]] = []
    if plan.centre not in known:
        rows.append((plan.centre, "centre", None))
    rows += [(code, "institute", plan.centre) for code in plan.institutes]
    rows += [(plan.unit(s).station or "", "station", plan.unit(s).institute)
             for s in range(plan.stations)]
    population = [{"since": "2024-01-01", "residents": RESIDENTS_PER_STATION}]
    for code, level, parent in rows:
        await api.call("requests", "PUT", f"/api/v1/requests/units/{code}", admin(),
                       json={"name": f"压测 {code}", "level": level, "parent": parent})
        if level == "station":
            await api.call("stats", "PUT", f"/api/v1/stats/units/{code}", admin(),
                           json={"population": population})


async def register_volunteer(api: Api, plan: LoadPlan, s: int, k: int) -> str:
    """One volunteer at station ``s`` who can do every service of the run; their id."""
    body = {"name": f"压测志愿者{k + 1}", "unit": plan.unit(s).model_dump(),
            "specialties": SPECIALTIES, "platforms": PLATFORMS}
    for _ in range(5):  # a made-up ID number may collide with an earlier run's
        try:
            made = await api.call("volunteers", "POST", "/api/v1/volunteers", admin(),
                                  json=body | plan.person())
            return str(made["volunteer_id"])
        except Refused as exc:
            if exc.status != 409:
                raise
    raise RuntimeError("load: five made-up ID numbers in a row were registered already")


async def register_volunteers(api: Api, plan: LoadPlan) -> list[str]:
    """Every station's volunteers, registered concurrently; their ids."""
    made = await asyncio.gather(*(register_volunteer(api, plan, s, k)
                                  for s in range(plan.stations)
                                  for k in range(plan.volunteers_per_station)))
    return list(made)


async def dispatch_knows(api: Api, plan: LoadPlan, within_s: float = READY_WITHIN_S) -> None:
    """Wait until dispatch has every volunteer of the run in its matching view."""
    expected = {code: 0 for code in plan.institutes}
    for s in range(plan.stations):
        expected[plan.unit(s).institute or ""] += plan.volunteers_per_station
    deadline = asyncio.get_running_loop().time() + within_s
    for code, count in expected.items():
        token = bearer("dispatcher", "load-dispatcher", institute=code, centre=plan.centre)
        while (await api.call("dispatch", "GET", "/api/v1/dispatch/fairness", token)
               )["registered"] < count:
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"load: dispatch did not learn of {code}'s {count} "
                                   f"volunteers within {within_s:.0f} s")
            await asyncio.sleep(0.5)
