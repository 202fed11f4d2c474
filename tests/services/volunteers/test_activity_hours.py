"""Hours from an activity follow the order hour rules: the window plus margin, sign-up first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from civiloop_contracts.events.activities import ActivityHeld, StaffAttendance
from civiloop_contracts.values import Platform, TimeWindow, UnitRef
from civiloop_volunteers.app.activities import activity_rules
from civiloop_volunteers.domain.attendance import Attendance
from civiloop_volunteers.domain.ledger import EntryStatus

START = datetime(2026, 6, 14, 9, 0, tzinfo=UTC)


def _held(*staff: StaffAttendance) -> ActivityHeld:
    return ActivityHeld(
        activity_id="act-1", unit=UnitRef(centre="kunqu"), platform=Platform.CULTURE,
        category="cultural_performance", title="演出",
        window=TimeWindow(start=START, end=START + timedelta(hours=2)), served=30,
        staff=list(staff), approved_by="op-1")


def _staff(vid: str, signed: datetime, came: datetime, left: datetime | None) -> StaffAttendance:
    return StaffAttendance(volunteer_id=vid, signed_up_at=signed, checked_in_at=came,
                           checked_out_at=left)


def _judge(staff: StaffAttendance) -> tuple[float, EntryStatus]:
    rules = activity_rules(_held(staff), margin_h=1.0)
    tally = rules.judge(staff.volunteer_id, Attendance(
        checked_in_at=staff.checked_in_at, checked_out_at=staff.checked_out_at),
        START + timedelta(hours=3))
    return tally.hours, tally.status


def test_hours_within_the_window_are_final() -> None:
    staff = _staff("v1", START - timedelta(days=2), START, START + timedelta(hours=2))
    assert _judge(staff) == (2.0, EntryStatus.FINAL)


def test_hours_beyond_window_and_margin_are_capped_and_wait() -> None:
    staff = _staff("v1", START - timedelta(days=2), START - timedelta(hours=2),
                   START + timedelta(hours=3))
    assert _judge(staff) == (3.0, EntryStatus.PENDING)


def test_no_check_out_waits_for_approval() -> None:
    staff = _staff("v1", START - timedelta(days=2), START, None)
    assert _judge(staff)[1] is EntryStatus.PENDING
