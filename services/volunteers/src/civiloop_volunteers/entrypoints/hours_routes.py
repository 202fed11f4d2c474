"""HTTP routes of the hours ledger: approve or reject filled-in hours, totals per unit."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civiloop_contracts.values import Role
from civiloop_volunteers.app import hours, registry
from civiloop_volunteers.domain.access import require_team_manager
from civiloop_volunteers.domain.errors import Forbidden, NotFound
from civiloop_volunteers.entrypoints.edge import Caller, run, thresholds

router = APIRouter(prefix="/api/v1/volunteers/hours", tags=["hours"])


class Decision(BaseModel):
    """Why, for a rejection (optional for an approval)."""

    note: str | None = Field(default=None, max_length=500)


@router.post("/{entry_id}/approve", summary="Approve filled-in hours (leader or station)")
async def approve(entry_id: str, body: Decision, caller: Caller, request: Request) -> dict[str, Any]:
    """The approved entry; it now counts in totals and star levels."""
    stars = thresholds(request)
    entry = await run(request, lambda uow: hours.decide(uow, caller, entry_id, True, body.note,
                                                        stars))
    return entry.model_dump(mode="json")


@router.post("/{entry_id}/reject", summary="Reject filled-in hours; the entry stays, rejected")
async def reject(entry_id: str, body: Decision, caller: Caller, request: Request) -> dict[str, Any]:
    """The rejected entry, kept on record with the reason."""
    stars = thresholds(request)
    entry = await run(request, lambda uow: hours.decide(uow, caller, entry_id, False, body.note,
                                                        stars))
    return entry.model_dump(mode="json")


class Level(StrEnum):
    """What to total hours by."""

    VOLUNTEER = "volunteer"
    TEAM = "team"
    STATION = "station"
    INSTITUTE = "institute"
    DISTRICT = "district"


FIELDS = {Level.VOLUNTEER: "volunteer_id", Level.TEAM: "team_id", Level.STATION: "unit.station",
          Level.INSTITUTE: "unit.institute", Level.DISTRICT: None}


@router.get("/totals", summary="Counted hours per volunteer, team, station, institute, district")
async def totals(by: Level, caller: Caller, request: Request,
                 key: str | None = None) -> dict[str, Any]:
    """Final and approved hours grouped by ``by`` (one ``key`` only, unless the district asks)."""
    async def work(uow: Any) -> list[dict[str, Any]]:
        await _may_total(uow, caller, by, key)
        field = FIELDS[by]
        return await uow.hours.totals(field, {field: key} if field and key else {})  # type: ignore[no-any-return]
    return {"by": by.value, "key": key, "totals": await run(request, work)}


async def _may_total(uow: Any, caller: Any, by: Level, key: str | None) -> None:
    """Themselves, their team's leader, their station or institute; the district sees all."""
    if caller.role is Role.DISTRICT_ADMIN:
        return
    if key is None or by is Level.DISTRICT:
        raise Forbidden("only the district totals the whole district or every unit")
    if by is Level.VOLUNTEER:
        await registry.see_volunteer(uow, caller, key)
    elif by is Level.TEAM:
        team = await uow.teams.get(key)
        if team is None:
            raise NotFound(f"team {key} does not exist")
        require_team_manager(caller, team.leader_id, team.unit, key)
    elif not (caller.station == key if by is Level.STATION else caller.institute == key):
        raise Forbidden(f"{by.value} {key} is outside this caller's unit")
