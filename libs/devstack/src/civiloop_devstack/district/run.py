"""Load the full-scale district step by step with a progress bar; time each step."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from civiloop_devstack.district import steps
from civiloop_devstack.district.plan import SURVEY_RESIDENTS, DistrictPlan
from civiloop_devstack.load.api import Api

CLIENT_TIMEOUT_S = 120.0  # a sheet of 500 lines or an organisation's 1,000 members


@dataclass
class Loaded:
    """What was loaded and how long each step took (seconds)."""

    volunteers: int = 0
    hour_lines: int = 0
    organisations: int = 0
    teams: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


async def load_district(urls: dict[str, str], plan: DistrictPlan,
                        console: Console | None = None) -> Loaded:
    """Every step through the services at ``urls``, with a bar per step."""
    loaded, columns = Loaded(), (TextColumn("{task.description:<14}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn())
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT_S, limits=limits) as client:
        api = Api(urls, client)
        with Progress(*columns, console=console or Console(), transient=False) as bar:
            async def step(name: str, total: int,
                           work: Callable[[steps.Tick], Awaitable[Any]]) -> Any:
                task = bar.add_task(name, total=total)
                started = time.monotonic()
                result = await work(lambda n: bar.advance(task, n))
                loaded.seconds[name] = round(time.monotonic() - started, 1)
                return result
            await step("units", len(plan.stations), lambda t: steps.units(api, plan, t))
            people = await step("volunteers", plan.volunteers,
                                lambda t: steps.volunteers(api, plan, t))
            loaded.volunteers = sum(len(v) for v in people.values())
            orgs = await step("organisations", plan.organisations,
                              lambda t: steps.organisations(api, plan, people, t))
            loaded.organisations = plan.organisations
            teams = await step("teams", len(plan.stations),
                               lambda t: steps.teams(api, plan, people, orgs, t))
            loaded.teams = sum(len(v) for v in teams.values())
            loaded.hour_lines = await step("hours", 0, lambda t: steps.hours(api, plan, people, t))
            await step("honours", sum(plan.honours().values()),
                       lambda t: steps.honours(api, plan, t))
            await step("survey", SURVEY_RESIDENTS, lambda t: steps.survey(api, plan, t))
            await step("activities", 0, lambda t: steps.activities(api, plan, t))
    return loaded
