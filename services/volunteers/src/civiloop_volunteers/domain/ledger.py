"""The service hours record (志愿服务记录): one entry per volunteer per service, never deleted.

Hours from check-in/out within the hour rules are final; hours outside them and hours
filled in afterwards are pending until a team leader or the station approves or rejects
them. A rejected entry stays, marked rejected. Only final and approved hours count in
totals and star levels. Hours are kept in hours, rounded up to the hundredth (36 s).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.service import ServiceHoursApproved, VolunteerHours
from civiloop_contracts.values import Id, Role, UnitRef
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid

UNIT = timedelta(seconds=36)
"""The ledger's unit: a hundredth of an hour (the events carry hours to the hundredth)."""
UNIT_HOURS = 0.01
DAY_HOURS = 24.0
"""No entry holds more than a day."""
CONTENT_MAX = 500


def ledger_hours(span: timedelta) -> float:
    """``span`` in hours, rounded up to the ledger's unit, so a service of seconds is never 0."""
    units = -(-span // UNIT)  # ceiling division of two timedeltas, exact in microseconds
    return max(units, 0) / 100


def content_of(summary: str | None, order_id: str) -> str:
    """What an entry says was done: the service's summary (clipped to fit), else the order."""
    return (summary or "").strip()[:CONTENT_MAX] or f"order {order_id}"


class EntryStatus(StrEnum):
    """Where an entry stands."""

    FINAL = "final"  # from check-in/out, within the hour rules
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


COUNTED = (EntryStatus.FINAL, EntryStatus.APPROVED)


class Source(StrEnum):
    """How the hours were recorded."""

    CHECK_IN_OUT = "check_in_out"
    BACKFILL = "backfill"  # filled in afterwards (补录)


class Tally(BaseModel):
    """One volunteer's hours as a completion decided them: final, or pending with why."""

    volunteer_id: Id
    hours: float = Field(gt=0, le=DAY_HOURS)
    source: Source
    review: str | None = Field(default=None, max_length=500)
    """Why the hours wait for approval; None when they are final."""

    @property
    def status(self) -> EntryStatus:
        """Final when nothing needs a second look, else pending."""
        return EntryStatus.FINAL if self.review is None else EntryStatus.PENDING


class Recorder(BaseModel):
    """Who recorded or decided an entry."""

    id: Id
    role: Role


class HoursEntry(BaseModel):
    """Hours one volunteer gave to one order or activity."""

    entry_id: Id
    volunteer_id: Id
    order_id: Id | None = None
    activity_id: Id | None = None
    activity_name: str | None = Field(default=None, max_length=200)
    team_id: Id | None = None
    unit: UnitRef
    served_on: date
    hours: float = Field(gt=0, le=DAY_HOURS)
    content: str = Field(min_length=1, max_length=CONTENT_MAX)
    source: Source
    status: EntryStatus
    review: str | None = Field(default=None, max_length=500)
    """Why check-in/out hours wait for approval (outside the hour rules), for the approver."""
    recorded_by: Recorder
    recorded_at: AwareDatetime
    decided_by: Recorder | None = None
    decided_at: AwareDatetime | None = None
    decision_note: str | None = Field(default=None, max_length=500)

    @property
    def subject_id(self) -> str:
        """The order or activity the hours were given to (the key of ServiceHoursApproved)."""
        return self.order_id or self.activity_id or self.entry_id

    def decide(self, approve: bool, by: Recorder, note: str | None,
               now: datetime) -> ServiceHoursApproved | None:
        """Approve or reject a pending entry; the approval is announced, a rejection kept."""
        if by.id == self.volunteer_id:
            raise Forbidden(f"entry {self.entry_id}: nobody approves their own hours")
        if self.status is not EntryStatus.PENDING:
            raise Conflict(f"entry {self.entry_id} is {self.status.value}, not pending")
        if not approve and not note:
            raise Invalid("note: say why the hours are rejected")
        self.status = EntryStatus.APPROVED if approve else EntryStatus.REJECTED
        self.decided_by, self.decided_at, self.decision_note = by, now, note
        return approved_event(self.subject_id, by.id, [self]) if approve else None


def approved_event(subject_id: str, approved_by: str,
                   entries: list[HoursEntry]) -> ServiceHoursApproved:
    """ServiceHoursApproved for counted ``entries`` of one order or activity."""
    return ServiceHoursApproved(
        order_id=subject_id, approved_by=approved_by,
        hours=[VolunteerHours(volunteer_id=e.volunteer_id, hours=e.hours) for e in entries])


def counted_hours(entries: list[HoursEntry]) -> float:
    """Total of final and approved hours."""
    return round(sum(e.hours for e in entries if e.status in COUNTED), 2)


def star_level(approved_hours: float, thresholds: tuple[float, ...]) -> int:
    """Stars (星级志愿者) earned: how many thresholds the approved hours reach."""
    return sum(1 for t in sorted(thresholds) if approved_hours >= t)
