"""HTTP route turning a needs survey's top demand into an activity (需求 → 活动) in one step."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.values import Audience, Category, Id, ShortText, TimeWindow
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.activities import activity_from_demand, new_activity_id
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.activity import Activity, Draft
from civiloop_requests.domain.errors import DomainError, UnknownSurvey
from civiloop_requests.domain.survey import Survey
from civiloop_requests.entrypoints.activity_views import ActivityView
from civiloop_requests.entrypoints.deps import Cases
from civiloop_requests.entrypoints.views import WINDOW_EXAMPLE

router = APIRouter(prefix="/surveys", tags=["surveys"])
Planner = Annotated[Principal, Depends(policy("surveys.activity"))]


class ActivityFromDemand(BaseModel):
    """Where and when; the category (default: the top group demand), title and capacity
    (default: the residents who asked for it) come from the survey unless given."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"venue": "万和阳光社区文化广场", "window": WINDOW_EXAMPLE}]})
    venue: ShortText
    window: TimeWindow
    category: Category | None = None
    title: ShortText | None = None
    capacity: Audience | None = None
    organiser_team_id: Id | None = None
    staff_wanted: int = Field(default=0, ge=0, le=500)


@router.post("/{survey_id}/activities", status_code=status.HTTP_201_CREATED,
             response_model=ActivityView, summary="Plan an activity from the top demand")
async def activity_from_top_demand(survey_id: str, body: ActivityFromDemand, caller: Planner,
                                   cases: Cases) -> ActivityView:
    """One call: the survey's most wanted (or the chosen) group activity is planned."""
    activity_id = new_activity_id()

    async def work(uow: UnitOfWork) -> Activity:
        survey = await uow.surveys.get(survey_id)
        if survey is None:
            raise UnknownSurvey(f"no survey {survey_id!r}")
        caller.scope.require(survey.unit, f"survey {survey_id}")
        draft = await _draft(uow, survey, body)
        return await activity_from_demand(uow, survey, activity_id, draft, caller.subject,
                                          cases.announce)
    return ActivityView.of(await cases.run(work), caller)


async def _draft(uow: UnitOfWork, survey: Survey, body: ActivityFromDemand) -> Draft:
    """The activity the survey asks for most (of the group activities with any demand)."""
    menu = await uow.menu.catalogue()
    demands = {d.category: d.count for d in survey.ranking().demands}
    groups = [d.category for d in survey.ranking().demands
              if d.count > 0 and menu.get(d.category).group_activity]
    code = body.category or (groups[0] if groups else None)
    if code is None:
        raise DomainError("category: no group activity on this survey has any demand yet")
    count = demands.get(code, 0)
    return Draft(unit=survey.unit, category=code, venue=body.venue, window=body.window,
                 title=body.title or f"{menu.get(code).name_zh}（需求调查：{count} 位居民）",
                 capacity=body.capacity or max(count, 1),
                 organiser_team_id=body.organiser_team_id, staff_wanted=body.staff_wanted)
