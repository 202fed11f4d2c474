"""Activity rating routes (活动评价): an attendee rates once; the organisers read the summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel

from civiloop_contracts.envelope import utcnow
from civiloop_feedback.app.activities import rate_activity, summary
from civiloop_feedback.domain.activity import ActivitySummary
from civiloop_feedback.domain.rating import Judgement
from civiloop_feedback.entrypoints.access import IdPath
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.usecase import run

router = APIRouter(tags=["activities"])
Attendee = Annotated[Principal, Depends(policy("activities.rate"))]
Organiser = Annotated[Principal, Depends(policy("activities.ratings"))]


class ActivityRatingView(BaseModel):
    """The attendee's own rating, as given."""

    activity_id: str
    judgement: Judgement
    given_at: str


@router.post("/activities/{activity_id}/rating", status_code=status.HTTP_201_CREATED,
             summary="Rate an activity one attended (once)")
async def rate(activity_id: IdPath, judgement: Judgement, request: Request,
               principal: Attendee) -> ActivityRatingView:
    """404 until the activity is held (and known here); 403 for a resident who did not attend;
    409 when rated already."""
    rater, now = principal, utcnow()
    rating = await run(request, lambda uow: rate_activity(uow, activity_id, judgement,
                                                          rater, now))
    return ActivityRatingView(activity_id=rating.activity_id, judgement=rating.judgement,
                              given_at=rating.given_at.isoformat())


@router.get("/activities/{activity_id}/ratings", summary="An activity's ratings (summary)")
async def read(activity_id: IdPath, request: Request, principal: Organiser) -> ActivitySummary:
    """How many attended and rated, the mean stars and the comments; no resident ids."""
    reader = principal
    return await run(request, lambda uow: summary(uow, activity_id, reader))
