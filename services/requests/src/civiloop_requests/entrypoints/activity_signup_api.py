"""HTTP routes where people sign up for activities: residents take part, volunteers serve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.activities import SignUpRole
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.activities import Change, change_activity
from civiloop_requests.entrypoints.activity_views import ActivityView
from civiloop_requests.entrypoints.deps import Cases

router = APIRouter(prefix="/activities", tags=["activities"])
Resident = Annotated[Principal, Depends(policy("activities.join"))]
Volunteer = Annotated[Principal, Depends(policy("activities.staff"))]
PART, STAFF = SignUpRole.PARTICIPANT, SignUpRole.STAFF


class CheckIn(BaseModel):
    """The code shown at the venue."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"code": "204816"}]})
    code: str = Field(min_length=1, max_length=16)


async def _change(cases: Cases, activity_id: str, caller: Principal,
                  change: Change) -> ActivityView:
    activity = await cases.run(lambda uow: change_activity(uow, activity_id, change,
                                                           cases.announce))
    return ActivityView.of(activity, caller)


@router.post("/{activity_id}/sign-up", response_model=ActivityView,
             summary="Sign up to take part (报名)")
async def sign_up(activity_id: str, caller: Resident, cases: Cases) -> ActivityView:
    """The resident takes a place (again: nothing changes); 409 when full or over."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.sign_up(caller.subject, PART, at))


@router.post("/{activity_id}/sign-up/cancel", response_model=ActivityView,
             summary="Cancel one's sign-up")
async def cancel_sign_up(activity_id: str, caller: Resident, cases: Cases) -> ActivityView:
    """Give the place back before the activity begins."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.cancel_sign_up(caller.subject, PART, at))


@router.post("/{activity_id}/check-in", response_model=ActivityView,
             summary="Check in at the activity with its code (签到)")
async def check_in(activity_id: str, body: CheckIn, caller: Resident,
                   cases: Cases) -> ActivityView:
    """Counted as served; a resident not signed up takes a free place on the spot."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.check_in(caller.subject, PART, at, body.code))


@router.post("/{activity_id}/staff", response_model=ActivityView,
             summary="Sign up as staff (志愿者报名)")
async def staff_sign_up(activity_id: str, caller: Volunteer, cases: Cases) -> ActivityView:
    """The volunteer offers to serve at the activity."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.sign_up(caller.subject, STAFF, at))


@router.post("/{activity_id}/staff/cancel", response_model=ActivityView,
             summary="Withdraw as staff")
async def staff_cancel(activity_id: str, caller: Volunteer, cases: Cases) -> ActivityView:
    """Withdraw before the activity begins."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.cancel_sign_up(caller.subject, STAFF, at))


@router.post("/{activity_id}/staff/check-in", response_model=ActivityView,
             summary="Staff check in")
async def staff_check_in(activity_id: str, caller: Volunteer, cases: Cases) -> ActivityView:
    """The volunteer arrives: their hours start here."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.check_in(caller.subject, STAFF, at))


@router.post("/{activity_id}/staff/check-out", response_model=ActivityView,
             summary="Staff check out")
async def staff_check_out(activity_id: str, caller: Volunteer, cases: Cases) -> ActivityView:
    """The volunteer leaves: their hours end here."""
    at = utcnow()
    return await _change(cases, activity_id, caller,
                         lambda a: a.check_out(caller.subject, at))
