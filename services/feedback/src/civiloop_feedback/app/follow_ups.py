"""Follow-ups (回访) worked by station staff: assign, note, resolve."""

from __future__ import annotations

from datetime import datetime

from civiloop_contracts.events.feedback import FollowUpResolution
from civiloop_feedback.app.emit import Emit
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.domain.errors import NotYours, UnknownFollowUp
from civiloop_feedback.domain.follow_up import FollowUp
from civiloop_feedback.domain.rater import Rater


async def load(uow: UnitOfWork, follow_up_id: str, rater: Rater) -> FollowUp:
    """The follow-up, if ``rater`` works for its station."""
    follow_up = await uow.follow_ups.get(follow_up_id)
    if follow_up is None:
        raise UnknownFollowUp(f"follow-up {follow_up_id} does not exist")
    if not rater.covers(follow_up.unit):
        raise NotYours(f"follow-up {follow_up_id} belongs to another station")
    return follow_up


async def assign(uow: UnitOfWork, follow_up_id: str, assignee: str, rater: Rater,
                 now: datetime) -> FollowUp:
    """Give the follow-up to a person of the station."""
    follow_up = await load(uow, follow_up_id, rater)
    follow_up.assign(assignee, rater.subject, now)
    await uow.follow_ups.save(follow_up)
    return follow_up


async def add_note(uow: UnitOfWork, follow_up_id: str, text: str, rater: Rater,
                   now: datetime) -> FollowUp:
    """Record what was found or done."""
    follow_up = await load(uow, follow_up_id, rater)
    follow_up.note(text, rater.subject, now)
    await uow.follow_ups.save(follow_up)
    return follow_up


async def resolve(uow: UnitOfWork, follow_up_id: str, resolution: FollowUpResolution,
                  note: str | None, rater: Rater, now: datetime, emit: Emit) -> FollowUp:
    """Close the follow-up; ``reopen`` asks requests to send the order back to dispatch."""
    follow_up = await load(uow, follow_up_id, rater)
    resolved = follow_up.resolve(resolution, note, rater.subject, now)
    await uow.follow_ups.save(follow_up)
    uow.publish(emit(resolved))
    return follow_up
