"""HTTP routes of the hours ledger: approve or reject filled-in hours, totals per unit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import hours
from civiloop_volunteers.app.attendance import Sheet, record_sheet
from civiloop_volunteers.app.totals import Level
from civiloop_volunteers.app.totals import totals as app_totals
from civiloop_volunteers.entrypoints.access import Approver, Recorder, Totals, thresholds

router = APIRouter(prefix="/api/v1/volunteers/hours", tags=["hours"])


class Decision(BaseModel):
    """Why, for a rejection (optional for an approval)."""

    note: str | None = Field(default=None, max_length=500)


@router.post("/{entry_id}/approve", summary="Approve filled-in hours (leader or station)")
async def approve(entry_id: str, body: Decision, caller: Approver, request: Request) -> dict[str, Any]:
    """The approved entry; it now counts in totals and star levels."""
    stars = thresholds(request)
    entry = await run(request, lambda uow: hours.decide(uow, caller, entry_id, True, body.note,
                                                        stars))
    return entry.model_dump(mode="json")


@router.post("/{entry_id}/reject", summary="Reject filled-in hours; the entry stays, rejected")
async def reject(entry_id: str, body: Decision, caller: Approver, request: Request) -> dict[str, Any]:
    """The rejected entry, kept on record with the reason."""
    stars = thresholds(request)
    entry = await run(request, lambda uow: hours.decide(uow, caller, entry_id, False, body.note,
                                                        stars))
    return entry.model_dump(mode="json")


@router.post("/sheets", status_code=201,
             summary="Record an activity's attendance sheet: many volunteers' hours at once",
             responses={404: {"description": "A volunteer on the sheet is not registered"}})
async def sheet(body: Sheet, caller: Recorder, request: Request) -> dict[str, Any]:
    """The activity, entries and hours recorded; they count at once (the station approves)."""
    stars = thresholds(request)
    return await run(request, lambda uow: record_sheet(uow, caller, body, stars))


@router.get("/totals", summary="Counted hours per volunteer, team, station, institute, district",
            responses={404: {"description": "The volunteer, team or unit named is unknown"}})
async def totals(by: Level, caller: Totals, request: Request,
                 key: str | None = None) -> dict[str, Any]:
    """Final and approved hours grouped by ``by``: one ``key``, or every group the caller covers."""
    found = await run(request, lambda uow: app_totals(uow, caller, by, key))
    return {"by": by.value, "key": key, "totals": found}
