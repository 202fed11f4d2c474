"""The hours ledger's use cases: record, fill in, approve or reject, total, star levels."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from civiloop_contracts.events.volunteers import VolunteerUpdated
from civiloop_contracts.values import Id, UnitRef
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.app.registry import led_members, load_volunteer
from civiloop_volunteers.domain.attendance import HourRules, within_limit
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid, NotFound
from civiloop_volunteers.domain.ledger import (
    EntryStatus,
    HoursEntry,
    Recorder,
    Source,
    approved_event,
    content_of,
    counted_hours,
    ledger_hours,
    star_level,
)
from civiloop_volunteers.domain.service import Service


async def record_service_hours(uow: Uow, principal: Principal, service: Service,
                               thresholds: tuple[float, ...]) -> None:
    """Ledger entries of a completed service as it tallied them: final ones are announced
    and count at once, pending ones wait for approval."""
    recorder, at = Recorder(id=principal.subject, role=principal.role), now()
    final = []
    for tally in service.hours:
        entry = HoursEntry(
            entry_id=new_id("hrs"), volunteer_id=tally.volunteer_id, order_id=service.order_id,
            team_id=service.team_id, unit=service.unit,
            served_on=_served_on(service, tally.volunteer_id), hours=tally.hours,
            content=content_of(service.summary, service.order_id), source=tally.source,
            status=tally.status, review=tally.review, recorded_by=recorder, recorded_at=at)
        await uow.hours.add(entry)
        if entry.status is EntryStatus.FINAL:
            final.append(entry)
    if final:
        publish(uow, approved_event(service.order_id, principal.subject, final), time=at)
    for entry in final:
        await restar(uow, entry.volunteer_id, thresholds)


def _served_on(service: Service, volunteer_id: str) -> date:
    """The day of the check-in; for claimed hours, the day the service was completed."""
    seen = service.attendance.get(volunteer_id)
    moment = seen.checked_in_at if seen is not None else service.completed_at or now()
    return moment.date()


async def restar(uow: Uow, volunteer_id: str, thresholds: tuple[float, ...]) -> None:
    """Recompute a volunteer's star level from counted hours; announce a change."""
    volunteer = await uow.volunteers.get(volunteer_id)
    if volunteer is None:
        return  # hours of someone not (yet) registered here still count in the ledger
    level = star_level(counted_hours(await uow.hours.of_volunteer(volunteer_id)), thresholds)
    if level != volunteer.star_level:
        volunteer.star_level = level
        await uow.volunteers.save(volunteer)
        publish(uow, VolunteerUpdated(volunteer_id=volunteer_id, star_level=level))


class Activity(BaseModel):
    """An activity outside the order loop (a station's own event), with its real length."""

    activity_id: Id | None = None
    name: str = Field(min_length=1, max_length=200)
    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> Activity:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Claim(BaseModel):
    """Hours filled in afterwards (补录) for one order or one activity."""

    order_id: Id | None = None
    activity: Activity | None = None
    team_id: Id | None = None
    hours: float = Field(gt=0, le=24)
    content: str = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _one_subject(self) -> Claim:
        if (self.order_id is None) == (self.activity is None):
            raise ValueError("give either order_id or activity")
        return self


async def claim_hours(uow: Uow, principal: Principal, volunteer_id: str, claim: Claim,
                      margin_h: float) -> HoursEntry:
    """Record hours afterwards; they wait for approval and never exceed the activity (or the
    order's window plus the margin)."""
    volunteer = await load_volunteer(uow, volunteer_id)
    access.require_see_volunteer(principal, volunteer_id, volunteer.unit,
                                 await led_members(uow, principal))
    unit, served_on = await _subject_limits(uow, claim, volunteer.unit, margin_h)
    subject = claim.order_id or (claim.activity.activity_id if claim.activity else None)
    for entry in await uow.hours.of_volunteer(volunteer_id):
        if entry.status is not EntryStatus.REJECTED and subject in (entry.order_id,
                                                                     entry.activity_id):
            raise Conflict(f"volunteer {volunteer_id} has hours for {subject} already "
                           f"(entry {entry.entry_id})")
    entry = HoursEntry(
        entry_id=new_id("hrs"), volunteer_id=volunteer_id, order_id=claim.order_id,
        activity_id=subject if claim.activity else None,
        activity_name=claim.activity.name if claim.activity else None, team_id=claim.team_id,
        unit=unit, served_on=served_on, hours=claim.hours, content=claim.content,
        source=Source.BACKFILL, status=EntryStatus.PENDING,
        recorded_by=Recorder(id=principal.subject, role=principal.role), recorded_at=now())
    await uow.hours.add(entry)
    return entry


async def _subject_limits(uow: Uow, claim: Claim, home: UnitRef,
                          margin_h: float) -> tuple[UnitRef, date]:
    """Refuse hours over the activity's length (the order's window + margin); where it
    happened and on which day."""
    if claim.activity is not None:
        a = claim.activity
        length = ledger_hours(a.end - a.start)
        within_limit(claim.hours, length, f"the activity's length of {length:g} h")
        return home, a.start.date()
    order = await uow.orders.get(claim.order_id or "")
    if order is None:
        raise Invalid(f"order_id: order {claim.order_id} is not known here; record it as an "
                      "activity with its start and end")
    HourRules(order.length_hours, margin_h).require_claimable(claim.hours)
    return order.unit, order.window.start.date()


async def decide(uow: Uow, principal: Principal, entry_id: str, approve: bool,
                 note: str | None, thresholds: tuple[float, ...]) -> HoursEntry:
    """Approve or reject filled-in hours: a leader of the volunteer's team, or the station."""
    entry = await uow.hours.get(entry_id)
    if entry is None:
        raise NotFound(f"hours entry {entry_id} does not exist")
    leads = entry.volunteer_id in await led_members(uow, principal)
    if not leads and not access.covers(principal, entry.unit):
        raise Forbidden(f"entry {entry_id} is approved by a leader of the volunteer's team "
                        "or the station")
    event = entry.decide(approve, Recorder(id=principal.subject, role=principal.role), note,
                         now())
    await uow.hours.save(entry)
    publish(uow, event, time=entry.decided_at)
    if approve:
        await restar(uow, entry.volunteer_id, thresholds)
    return entry

