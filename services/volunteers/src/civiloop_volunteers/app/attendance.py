"""An activity's attendance sheet (签到表): a station records many volunteers' hours at once.

The station is the approver of hours filled in afterwards, so a sheet it records counts at
once (approved by the recorder): the same rules as one claim (hours within the activity's
length, one entry per volunteer and activity), one transaction and one ServiceHoursApproved
per sheet, star levels recomputed for everyone on it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from civiloop_contracts.events.volunteers import VolunteerUpdated
from civiloop_contracts.values import Id
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.hours import Activity
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.attendance import within_limit
from civiloop_volunteers.domain.errors import Conflict, NotFound
from civiloop_volunteers.domain.ledger import (
    EntryStatus,
    HoursEntry,
    Recorder,
    Source,
    approved_event,
    ledger_hours,
    star_level,
)


class Line(BaseModel):
    """One volunteer's hours on the sheet."""

    volunteer_id: Id
    hours: float = Field(gt=0, le=24)


class Sheet(BaseModel):
    """An activity with an id, and who served how long (at most 500 lines)."""

    activity: Activity
    team_id: Id | None = None
    content: str = Field(min_length=1, max_length=500)
    lines: list[Line] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _one_line_per_volunteer_and_an_id(self) -> Sheet:
        if self.activity.activity_id is None:
            raise ValueError("activity.activity_id: a sheet names its activity")
        if len({line.volunteer_id for line in self.lines}) != len(self.lines):
            raise ValueError("lines: one line per volunteer")
        return self


async def record_sheet(uow: Uow, principal: Principal, sheet: Sheet,
                       thresholds: tuple[float, ...]) -> dict[str, Any]:
    """Record and approve every line; refused whole if any line breaks a rule."""
    activity, ids = sheet.activity, [line.volunteer_id for line in sheet.lines]
    length = ledger_hours(activity.end - activity.start)
    volunteers = {v.volunteer_id: v for v in await uow.volunteers.find({"_id": {"$in": ids}})}
    for line in sheet.lines:
        volunteer = volunteers.get(line.volunteer_id)
        if volunteer is None:
            raise NotFound(f"volunteer {line.volunteer_id} is not registered")
        access.require_unit(principal, volunteer.unit, f"volunteer {line.volunteer_id}")
        within_limit(line.hours, length, f"the activity's length of {length:g} h")
    twice = await uow.hours.find({"activity_id": activity.activity_id,
                                  "volunteer_id": {"$in": ids}, "status": {"$ne": "rejected"}})
    if twice:
        raise Conflict(f"volunteer {twice[0].volunteer_id} has hours for "
                       f"{activity.activity_id} already (entry {twice[0].entry_id})")
    by, at = Recorder(id=principal.subject, role=principal.role), now()
    entries = [HoursEntry(
        entry_id=new_id("hrs"), volunteer_id=line.volunteer_id, activity_id=activity.activity_id,
        activity_name=activity.name, team_id=sheet.team_id, unit=volunteers[line.volunteer_id].unit,
        served_on=activity.start.date(), hours=line.hours, content=sheet.content,
        source=Source.BACKFILL, status=EntryStatus.APPROVED, recorded_by=by, recorded_at=at,
        decided_by=by, decided_at=at) for line in sheet.lines]
    await uow.hours.add_all(entries)
    publish(uow, approved_event(activity.activity_id or "", principal.subject, entries), time=at)
    counted = {row["key"]: row["hours"] for row in await uow.hours.totals(
        "volunteer_id", {"volunteer_id": {"$in": ids}})}
    for volunteer_id, volunteer in volunteers.items():
        level = star_level(counted.get(volunteer_id, 0.0), thresholds)
        if level != volunteer.star_level:
            volunteer.star_level = level
            await uow.volunteers.save(volunteer)
            publish(uow, VolunteerUpdated(volunteer_id=volunteer_id, star_level=level))
    return {"activity_id": activity.activity_id, "entries": len(entries),
            "hours": round(sum(e.hours for e in entries), 2)}
