"""Follow-up routes (回访) for station staff: list, read, assign, note, resolve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.feedback import FollowUpResolution
from civiloop_contracts.masking import FreeText
from civiloop_feedback.adapters.unit_of_work import FeedbackUnitOfWork
from civiloop_feedback.app import follow_ups
from civiloop_feedback.app.access import scope_of
from civiloop_feedback.app.emit import after_request
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus
from civiloop_feedback.entrypoints.access import IdPath
from civiloop_feedback.entrypoints.views import FollowUpView, follow_up_view
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.params import Limit
from civiloop_platform.edge.usecase import correlation_of, run

router = APIRouter()
Lister = Annotated[Principal, Depends(policy("follow_ups.list"))]
Staff = Annotated[Principal, Depends(policy("follow_ups.work"))]


class Assignment(BaseModel):
    """Who takes the follow-up."""

    assignee: str = Field(min_length=1, max_length=64)


class NoteBody(BaseModel):
    """What was found or done."""

    text: FreeText = Field(min_length=1, max_length=1000)


class Resolution(BaseModel):
    """How the follow-up ends: explained (resolved), reopen (serve again), dismissed (unfounded)."""

    resolution: FollowUpResolution
    note: FreeText | None = Field(default=None, max_length=1000)


@router.get("/follow-ups", summary="Follow-ups of the caller's unit, the longest waiting first")
async def list_follow_ups(request: Request, principal: Lister,
                          status_: Annotated[FollowUpStatus | None, Query(alias="status")] = None,
                          limit: Limit = 100) -> list[FollowUpView]:
    """Open, assigned or resolved follow-ups of the caller's station (the centre: all)."""
    scope = scope_of(principal)

    async def work(uow: FeedbackUnitOfWork) -> list[FollowUp]:
        return await uow.follow_ups.find_in(scope, status_, limit)

    return [follow_up_view(f) for f in await run(request, work)]


@router.get("/follow-ups/{follow_up_id}", summary="One follow-up")
async def read_follow_up(follow_up_id: IdPath, request: Request, principal: Staff) -> FollowUpView:
    """404 if there is none; 403 if it belongs to another station."""
    rater = principal
    return follow_up_view(await run(request, lambda uow: follow_ups.load(uow, follow_up_id,
                                                                         rater)))


@router.post("/follow-ups/{follow_up_id}/assign", summary="Give the follow-up to a person")
async def assign(follow_up_id: IdPath, body: Assignment, request: Request,
                 principal: Staff) -> FollowUpView:
    """409 once resolved."""
    rater, now = principal, utcnow()
    return follow_up_view(await run(request, lambda uow: follow_ups.assign(
        uow, follow_up_id, body.assignee, rater, now)))


@router.post("/follow-ups/{follow_up_id}/notes", summary="Note what was found or done")
async def note(follow_up_id: IdPath, body: NoteBody, request: Request,
               principal: Staff) -> FollowUpView:
    """409 once resolved."""
    rater, now = principal, utcnow()
    return follow_up_view(await run(request, lambda uow: follow_ups.add_note(
        uow, follow_up_id, body.text, rater, now)))


@router.post("/follow-ups/{follow_up_id}/resolve", summary="Resolve; reopen sends it to dispatch")
async def resolve(follow_up_id: IdPath, body: Resolution, request: Request,
                  principal: Staff) -> FollowUpView:
    """Publishes FollowUpResolved; a reopen needs a note (the reason, at most 500 characters)."""
    rater, now = principal, utcnow()
    emit = after_request(correlation_of(request), now)
    return follow_up_view(await run(request, lambda uow: follow_ups.resolve(
        uow, follow_up_id, body.resolution, body.note, rater, now, emit)))
