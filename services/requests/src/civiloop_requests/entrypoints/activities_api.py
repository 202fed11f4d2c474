"""HTTP routes for activities (文明实践活动): plan, publish, browse, take attendance, hold."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Id
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.scope import Scope
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.activities import (
    change_activity,
    check_in_code,
    load_activity,
    new_activity_id,
    organised_by,
    plan_activity,
)
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.activity import Activity, ActivityState, Draft
from civiloop_requests.domain.errors import UnknownActivity
from civiloop_requests.entrypoints.activity_views import ActivityView, AttendanceSheet
from civiloop_requests.entrypoints.deps import Cases

router = APIRouter(prefix="/activities", tags=["activities"])
Browser = Annotated[Principal, Depends(policy("activities.browse"))]
Lister = Annotated[Principal, Depends(policy("activities.organised"))]
Planner = Annotated[Principal, Depends(policy("activities.plan"))]
Organiser = Annotated[Principal, Depends(policy("activities.attendance"))]
Code = Annotated[str | None, Query(max_length=32, description="a unit code")]
PUBLIC = [ActivityState.PUBLISHED, ActivityState.HELD]


class CancelActivity(BaseModel):
    """Why the activity is called off."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"note": "暴雨预警，改期举行"}]})
    note: str | None = Field(default=None, max_length=500)


class TakeAttendance(BaseModel):
    """The organiser's list: residents who came (signed up), and walk-ins counted at the door."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"attended": ["res-7f3a", "res-81c0"], "walk_ins": 12}]})
    attended: list[Id] = Field(default_factory=list, max_length=100_000)
    walk_ins: int = Field(default=0, ge=0, le=100_000)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ActivityView,
             summary="Plan an activity")
async def plan(body: Draft, caller: Planner, cases: Cases) -> ActivityView:
    """A station, institute or the centre plans a group activity of the menu (not yet public)."""
    caller.scope.require(body.unit, "the activity")
    activity_id = new_activity_id()

    async def work(uow: UnitOfWork) -> Activity:
        return await plan_activity(uow, activity_id, body, caller.subject, cases.announce)
    return ActivityView.of(await cases.run(work), caller)


@router.get("", response_model=list[ActivityView], summary="Published activities")
async def browse(caller: Browser, cases: Cases, station: Code = None,
                 institute: Code = None) -> list[ActivityView]:
    """Published and held activities (a station's, an institute's, or all), newest first."""
    where = Scope(institute=institute, station=station)  # notices are for everyone

    async def work(uow: UnitOfWork) -> list[Activity]:
        return await uow.activities.of_units(where, PUBLIC)
    return [ActivityView.of(a, caller) for a in await cases.run(work)]


@router.get("/organised", response_model=list[ActivityView],
            summary="A unit's activities in every state")
async def organised(caller: Lister, cases: Cases, station: Code = None,
                    institute: Code = None) -> list[ActivityView]:
    """Every activity the caller's unit (or a unit inside it) organises, planned ones too."""
    units = caller.scope.narrowed(institute=institute, station=station)

    async def work(uow: UnitOfWork) -> list[Activity]:
        return await uow.activities.of_units(units, list(ActivityState))
    return [ActivityView.of(a, caller) for a in await cases.run(work)]


@router.get("/{activity_id}", response_model=ActivityView, summary="One activity")
async def read(activity_id: str, caller: Browser, cases: Cases) -> ActivityView:
    """The activity's notice; a planned one only for its organisers (404 for others)."""
    async def work(uow: UnitOfWork) -> Activity:
        return await load_activity(uow, activity_id)
    activity = await cases.run(work)
    if activity.state is ActivityState.PLANNED and not caller.covers(activity.plan.unit):
        raise UnknownActivity(f"no activity {activity_id!r}")
    return ActivityView.of(activity, caller)


@router.post("/{activity_id}/publish", response_model=AttendanceSheet,
             summary="Publish an activity for sign-up")
async def publish(activity_id: str, caller: Planner, cases: Cases) -> AttendanceSheet:
    """Open sign-up; the sheet shows the check-in code to put up at the venue."""
    code = check_in_code()
    activity = await cases.run(lambda uow: change_activity(
        uow, activity_id, lambda a: a.publish(code), cases.announce, organised_by(caller)))
    return AttendanceSheet.of(activity, caller)


@router.post("/{activity_id}/cancel", response_model=ActivityView,
             summary="Call an activity off")
async def cancel(activity_id: str, body: CancelActivity, caller: Planner,
                 cases: Cases) -> ActivityView:
    """Cancel a planned or published activity."""
    activity = await cases.run(lambda uow: change_activity(
        uow, activity_id, lambda a: a.cancel(body.note), cases.announce, organised_by(caller)))
    return ActivityView.of(activity, caller)


@router.get("/{activity_id}/attendance", response_model=AttendanceSheet,
            summary="The attendance sheet")
async def sheet(activity_id: str, caller: Organiser, cases: Cases) -> AttendanceSheet:
    """The check-in code, who signed up and who came."""
    async def work(uow: UnitOfWork) -> Activity:
        activity = await load_activity(uow, activity_id)
        organised_by(caller)(activity)
        return activity
    return AttendanceSheet.of(await cases.run(work), caller)


@router.post("/{activity_id}/attendance", response_model=AttendanceSheet,
             summary="Tick residents on the list")
async def tick(activity_id: str, body: TakeAttendance, caller: Organiser,
               cases: Cases) -> AttendanceSheet:
    """Mark signed-up residents as attended and set the walk-ins counted at the door."""
    at = utcnow()
    activity = await cases.run(lambda uow: change_activity(
        uow, activity_id, lambda a: a.tick(body.attended, body.walk_ins, at), cases.announce,
        organised_by(caller)))
    return AttendanceSheet.of(activity, caller)


@router.post("/{activity_id}/hold", response_model=AttendanceSheet,
             summary="Close and approve the attendance")
async def hold(activity_id: str, caller: Organiser, cases: Cases) -> AttendanceSheet:
    """The organiser approves the head-count and the staff's times (ActivityHeld)."""
    at = utcnow()
    activity = await cases.run(lambda uow: change_activity(
        uow, activity_id, lambda a: a.hold(caller.subject, at), cases.announce,
        organised_by(caller)))
    return AttendanceSheet.of(activity, caller)
