"""The follow-up (回访): station staff look again at a low or flagged rating.

Opened for the order's station; assigned to a person, noted, then resolved: explained
(resolved: the resident is satisfied), reopen (served again: requests sends the order back
to dispatch) or dismissed (unfounded).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.feedback import (
    FollowUpCause,
    FollowUpOpened,
    FollowUpResolution,
    FollowUpResolved,
)
from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import Id, Stars, UnitRef
from civiloop_feedback.domain.errors import FollowUpClosed, InvalidInput

REASON_MAX = 500
"""A reopen's note becomes OrderReopened.reason, which holds at most this many characters."""


class FollowUpStatus(StrEnum):
    """Where a follow-up stands."""

    OPEN = "open"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"


class Note(BaseModel):
    """What someone found or did, and when."""

    at: AwareDatetime
    by: str
    text: FreeText = Field(min_length=1, max_length=1000)


class FollowUp(BaseModel):
    """One follow-up of one rating."""

    follow_up_id: Id
    order_id: Id
    feedback_id: Id
    round: int
    unit: UnitRef
    cause: FollowUpCause
    stars: Stars | None = None
    opened_at: AwareDatetime
    status: FollowUpStatus = FollowUpStatus.OPEN
    assignee: str | None = None
    notes: list[Note] = Field(default_factory=list)
    resolution: FollowUpResolution | None = None
    resolved_at: AwareDatetime | None = None

    def _check_open(self) -> None:
        if self.status is FollowUpStatus.RESOLVED:
            raise FollowUpClosed(f"follow-up {self.follow_up_id} is resolved already")

    def assign(self, assignee: str, by: str, now: datetime) -> None:
        """Give the follow-up to ``assignee`` (again, if it changes hands)."""
        self._check_open()
        self.assignee, self.status = assignee, FollowUpStatus.ASSIGNED
        self.notes.append(Note(at=now, by=by, text=f"assigned to {assignee}"))

    def note(self, text: str, by: str, now: datetime) -> None:
        """Record what was found or done."""
        self._check_open()
        self.notes.append(Note(at=now, by=by, text=text))

    def resolve(self, resolution: FollowUpResolution, note: str | None, by: str,
                now: datetime) -> FollowUpResolved:
        """Close the follow-up; a reopen needs a reason (it goes to requests and dispatch)."""
        self._check_open()
        if resolution is FollowUpResolution.REOPEN and not (note and note.strip()):
            raise InvalidInput("note: a reopen needs the reason the order is served again")
        if resolution is FollowUpResolution.REOPEN and len(note or "") > REASON_MAX:
            raise InvalidInput(f"note: a reopen's reason holds at most {REASON_MAX} characters")
        if note:
            self.notes.append(Note(at=now, by=by, text=note))
        self.status, self.resolution, self.resolved_at = FollowUpStatus.RESOLVED, resolution, now
        return FollowUpResolved(order_id=self.order_id, follow_up_id=self.follow_up_id,
                                resolution=resolution, note=note, resolved_by=by)


def open_follow_up(follow_up_id: str, feedback_id: str, order_id: str, round_: int,
                   unit: UnitRef, cause: FollowUpCause, stars: int,
                   now: datetime) -> tuple[FollowUp, FollowUpOpened]:
    """A new follow-up for the order's station, and the event that announces it."""
    follow_up = FollowUp(follow_up_id=follow_up_id, order_id=order_id, feedback_id=feedback_id,
                         round=round_, unit=unit, cause=cause, stars=stars, opened_at=now)
    return follow_up, FollowUpOpened(order_id=order_id, follow_up_id=follow_up_id, cause=cause,
                                     stars=stars)
