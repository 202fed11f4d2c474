"""HTTP routes of the registry: volunteers, teams, organisations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import hours, registry
from civiloop_volunteers.app.common import now
from civiloop_volunteers.domain.errors import Forbidden
from civiloop_volunteers.domain.ledger import counted_hours
from civiloop_volunteers.domain.record import record_csv, record_number
from civiloop_volunteers.domain.teams import NewTeam, Team, TeamChanges
from civiloop_volunteers.domain.volunteer import Changes, NewVolunteer
from civiloop_volunteers.entrypoints.access import (
    Claimer,
    Editor,
    Owner,
    Reader,
    Registrar,
    TeamEditor,
    TeamFounder,
    TeamReader,
    margin,
)

router = APIRouter(prefix="/api/v1/volunteers", tags=["registry"])


@router.post("", status_code=201, summary="Register a volunteer (注册志愿者); 409 if registered")
async def register_volunteer(new: NewVolunteer, caller: Registrar, request: Request) -> dict[str, Any]:
    """The new volunteer (ID number masked); 409 names the volunteer already registered."""
    volunteer = await run(request, lambda uow: registry.register_volunteer(uow, caller, new))
    return volunteer.public()


@router.post("/teams", status_code=201, summary="Form a volunteer team (志愿服务队)")
async def register_team(new: NewTeam, caller: TeamFounder, request: Request) -> Team:
    """The new team; its members must be registered volunteers."""
    return await run(request, lambda uow: registry.register_team(uow, caller, new))


@router.get("/teams/{team_id}", summary="A team")
async def get_team(team_id: str, caller: TeamReader, request: Request) -> Team:
    """The team, for its members and leader, its unit or the district."""
    return await run(request, lambda uow: registry.see_team(uow, caller, team_id))


@router.patch("/teams/{team_id}", summary="Change a team: members, leader, name, active")
async def edit_team(team_id: str, changes: TeamChanges, caller: TeamEditor, request: Request) -> Team:
    """The changed team (its leader, its station or the district)."""
    return await run(request, lambda uow: registry.edit_team(uow, caller, team_id, changes))


@router.get("/{volunteer_id}", summary="A volunteer's record (themselves, leader, station)")
async def get_volunteer(volunteer_id: str, caller: Reader, request: Request) -> dict[str, Any]:
    """The volunteer with their teams; the ID number masked."""
    async def work(uow: Any) -> dict[str, Any]:
        volunteer = await registry.see_volunteer(uow, caller, volunteer_id)
        teams = [t.team_id for t in await uow.teams.of_member(volunteer_id)]
        return {**volunteer.public(), "team_ids": teams}
    return await run(request, work)


@router.patch("/{volunteer_id}", summary="Edit a volunteer (themselves or their station)")
async def edit_volunteer(volunteer_id: str, changes: Changes, caller: Editor,
                         request: Request) -> dict[str, Any]:
    """The edited volunteer; moving station takes the station or district."""
    volunteer = await run(request, lambda uow: registry.edit_volunteer(
        uow, caller, volunteer_id, changes))
    return volunteer.public()


@router.get("/{volunteer_id}/hours", summary="A volunteer's hours ledger (志愿服务记录)")
async def ledger(volunteer_id: str, caller: Reader, request: Request) -> dict[str, Any]:
    """Every entry (rejected ones too), counted hours and the star level."""
    async def work(uow: Any) -> dict[str, Any]:
        volunteer = await registry.see_volunteer(uow, caller, volunteer_id)
        entries = await uow.hours.of_volunteer(volunteer_id)
        return {"volunteer_id": volunteer_id, "counted_hours": counted_hours(entries),
                "star_level": volunteer.star_level,
                "entries": [e.model_dump(mode="json") for e in entries]}
    return await run(request, work)


@router.post("/{volunteer_id}/hours", status_code=201, summary="Fill in hours afterwards (补录)")
async def claim(volunteer_id: str, body: hours.Claim, caller: Claimer,
                request: Request) -> dict[str, Any]:
    """A pending entry; it counts once a team leader or the station approves it."""
    limit = margin(request)
    entry = await run(request, lambda uow: hours.claim_hours(uow, caller, volunteer_id, body,
                                                             limit))
    return entry.model_dump(mode="json")


@router.get("/{volunteer_id}/record.csv", summary="Download one's own record (平台记录)",
            response_class=Response)
async def record(volunteer_id: str, caller: Owner, request: Request) -> Response:
    """The volunteer's own record as CSV: identity, hours and content, recorder, number, date."""
    if caller.subject != volunteer_id:
        raise Forbidden("a volunteer downloads only their own record")

    async def work(uow: Any) -> tuple[str, str]:
        volunteer = await registry.load_volunteer(uow, volunteer_id)
        issued = now()
        return (record_csv(volunteer, await uow.hours.of_volunteer(volunteer_id), issued),
                record_number(volunteer, issued))
    text, number = await run(request, work)
    return Response(text.encode(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{number}.csv"'})

