"""Activities (文明实践活动): plan, publish, sign up, take attendance, hold; from a survey too."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable

from civiloop_contracts.payload import Payload
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.announce import Announce
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.activity import Activity, Draft, Plan
from civiloop_requests.domain.errors import DomainError, UnknownActivity
from civiloop_requests.domain.survey import Survey
from civiloop_requests.domain.units import check_ref

Change = Callable[[Activity], Payload | list[Payload] | None]
"""A change to one activity: the event(s) it raised, if any."""


def new_activity_id() -> str:
    """A fresh activity id."""
    return f"act-{uuid.uuid4().hex[:20]}"


def check_in_code() -> str:
    """Six digits residents type to check in; random, so only those at the venue know it."""
    return f"{secrets.randbelow(1_000_000):06d}"


async def plan_activity(uow: UnitOfWork, activity_id: str, draft: Draft, by: str,
                        announce: Announce, survey_id: str | None = None) -> Activity:
    """Store a planned activity of a unit in the tree, over a group category of the menu."""
    unit = draft.unit
    check_ref(unit, await uow.units.of([unit.centre, unit.institute, unit.station]))
    category = await uow.menu.get(draft.category)
    if not category.group_activity:
        raise DomainError(f"category: {draft.category!r} is not a group activity")
    plan = Plan(**dict(draft), platform=category.platform, survey_id=survey_id)
    activity, planned = Activity.planned(activity_id, plan, by)
    await uow.activities.add(activity)
    uow.publish(announce(planned))
    return activity


async def load_activity(uow: UnitOfWork, activity_id: str) -> Activity:
    """The activity, or UnknownActivity (404)."""
    activity = await uow.activities.get(activity_id)
    if activity is None:
        raise UnknownActivity(f"no activity {activity_id!r}")
    return activity


async def change_activity(uow: UnitOfWork, activity_id: str, change: Change,
                          announce: Announce, check: Callable[[Activity], None] | None = None,
                          ) -> Activity:
    """Load the activity, check the caller may, apply ``change``, save it, announce its events."""
    activity = await load_activity(uow, activity_id)
    if check is not None:
        check(activity)
    raised = change(activity)
    await uow.activities.save(activity)
    for payload in raised if isinstance(raised, list) else [raised] if raised else []:
        uow.publish(announce(payload))
    return activity


def organised_by(caller: Principal) -> Callable[[Activity], None]:
    """A check that the activity's unit is inside the caller's scope (403 otherwise)."""
    return lambda activity: caller.scope.require(activity.plan.unit,
                                                 f"activity {activity.activity_id}")


async def activity_from_demand(uow: UnitOfWork, survey: Survey, activity_id: str,
                               draft: Draft, by: str, announce: Announce) -> Activity:
    """A survey's demand becomes a planned activity of the survey's unit, in one step."""
    if draft.category not in survey.categories:
        raise DomainError(f"category: {draft.category!r} was not on survey {survey.survey_id}")
    return await plan_activity(uow, activity_id, draft, by, announce,
                               survey_id=survey.survey_id)
