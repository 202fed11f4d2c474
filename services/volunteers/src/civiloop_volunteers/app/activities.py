"""Hours from activities (文明实践活动): requests' ActivityHeld becomes ledger entries.

requests owns the activity and its attendance; the hours are this service's, counted by the
same hour rules as an order's: the activity's window stands for the order's, a volunteer's
sign-up as staff for the accept, the organiser's close for the completion. Final hours are
approved by the organiser's close and announced (ServiceHoursApproved keyed by the activity
id); anything outside the rules waits for the station's approval like any other entry.
"""

from __future__ import annotations

from datetime import datetime

from civiloop_contracts.events.activities import ActivityHeld, StaffAttendance
from civiloop_contracts.payload import Payload
from civiloop_contracts.values import Role
from civiloop_platform.messages import Handler, Received
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.hours import restar
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.attendance import Attendance, HourRules
from civiloop_volunteers.domain.ledger import (
    EntryStatus,
    HoursEntry,
    Recorder,
    approved_event,
    ledger_hours,
)


def activity_rules(held: ActivityHeld, margin_h: float) -> HourRules:
    """The hour rules of an activity: its window plus the margin; sign-ups as the accepts."""
    window = ledger_hours(held.window.end - held.window.start)
    return HourRules(window, margin_h,
                     accepted_at={s.volunteer_id: s.signed_up_at for s in held.staff})


async def _recorded(uow: Uow, volunteer_id: str, activity_id: str) -> bool:
    """True when the volunteer has hours for this activity already (an event sent twice)."""
    return any(e.activity_id == activity_id and e.status is not EntryStatus.REJECTED
               for e in await uow.hours.of_volunteer(volunteer_id))


def _entry(held: ActivityHeld, staff: StaffAttendance, rules: HourRules,
           closed_at: datetime, at: datetime) -> HoursEntry:
    seen = Attendance(checked_in_at=staff.checked_in_at, checked_out_at=staff.checked_out_at)
    tally = rules.judge(staff.volunteer_id, seen, closed_at)
    return HoursEntry(
        entry_id=new_id("hrs"), volunteer_id=staff.volunteer_id, activity_id=held.activity_id,
        activity_name=held.title, team_id=held.organiser_team_id, unit=held.unit,
        served_on=staff.checked_in_at.date(), hours=tally.hours, content=held.title,
        source=tally.source, status=tally.status, review=tally.review,
        recorded_by=Recorder(id=held.approved_by, role=Role.STATION_OPERATOR), recorded_at=at)


def activity_handlers(thresholds: tuple[float, ...],
                      margin_h: float) -> dict[type[Payload], Handler]:
    """The handler of ActivityHeld, with the service's star thresholds and hour margin."""

    async def on_activity_held(event: Received[ActivityHeld], uow: Uow) -> None:
        """An activity was held: each staff member's hours, final or pending by the rules."""
        held = event.payload
        rules, final, at = activity_rules(held, margin_h), [], now()
        for staff in held.staff:
            if await _recorded(uow, staff.volunteer_id, held.activity_id):
                continue
            entry = _entry(held, staff, rules, event.envelope.time, at)
            await uow.hours.add(entry)
            if entry.status is EntryStatus.FINAL:
                final.append(entry)
        if final:
            publish(uow, approved_event(held.activity_id, held.approved_by, final), time=at)
        for entry in final:
            await restar(uow, entry.volunteer_id, thresholds)

    return {ActivityHeld: on_activity_held}
