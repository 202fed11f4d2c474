"""Hours rules: check-in/out, claims within the activity, approvals, star levels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid
from civiloop_volunteers.domain.ledger import (
    EntryStatus,
    HoursEntry,
    Recorder,
    Source,
    counted_hours,
    star_level,
)
from civiloop_volunteers.domain.service import Service
from tests.services.volunteers.builders import unit

NOW = utcnow()
STARS = (100.0, 300.0, 600.0, 1000.0, 1500.0)


def service(activity_hours: float | None = 3) -> Service:
    """An accepted order served by two volunteers, its window three hours long."""
    return Service(assignment_id="as-1", order_id="ord-1", unit=unit(),
                   volunteer_ids=["vol-a", "vol-b"], activity_hours=activity_hours)


def test_hours_are_the_time_between_arrival_and_departure() -> None:
    s = service()
    s.check_in("vol-a", NOW - timedelta(hours=2), NOW)
    s.check_out("vol-a", NOW - timedelta(minutes=15), NOW)
    assert s.checked_hours() == {"vol-a": 1.75}


def test_check_in_is_for_those_who_serve_and_only_once() -> None:
    s = service()
    with pytest.raises(Forbidden):
        s.check_in("vol-x", NOW, NOW)
    s.check_in("vol-a", NOW, NOW)
    with pytest.raises(Conflict, match="already"):
        s.check_in("vol-a", NOW, NOW)
    with pytest.raises(Conflict, match="never checked in"):
        s.check_out("vol-b", NOW, NOW)


def test_a_moment_in_the_future_or_days_ago_is_refused() -> None:
    with pytest.raises(Invalid, match="future"):
        service().check_in("vol-a", NOW + timedelta(hours=1), NOW)
    with pytest.raises(Invalid, match="48 h"):
        service().check_in("vol-a", NOW - timedelta(days=3), NOW)


def test_completion_waits_for_check_out_and_keeps_checked_hours_final() -> None:
    s = service()
    s.check_in("vol-a", NOW - timedelta(hours=1), NOW)
    with pytest.raises(Conflict, match="still checked in"):
        s.complete("vol-a", 10, None, {}, NOW)
    s.check_out("vol-a", NOW, NOW)
    with pytest.raises(Conflict, match="final"):
        s.complete("vol-a", 10, None, {"vol-a": 2}, NOW)
    with pytest.raises(Invalid, match="exceed the activity's length of 3 h"):
        s.complete("vol-a", 10, None, {"vol-b": 3.5}, NOW)
    event = s.complete("vol-a", 10, "义诊", {"vol-b": 3}, NOW)
    assert {(h.volunteer_id, h.hours) for h in event.hours} == {("vol-a", 1.0), ("vol-b", 3.0)}
    assert event.completed_by == "vol-a"  # requests' timeline names who reported it
    with pytest.raises(Conflict, match="completed already"):
        s.check_in("vol-b", NOW, NOW)


def entry(status: EntryStatus = EntryStatus.PENDING, hours: float = 2) -> HoursEntry:
    """A filled-in entry of vol-a."""
    return HoursEntry(entry_id="hrs-1", volunteer_id="vol-a", order_id="ord-1", unit=unit(),
                      served_on=NOW.date(), hours=hours, content="义诊", source=Source.BACKFILL,
                      status=status, recorded_by=Recorder(id="vol-a", role=Role.VOLUNTEER),
                      recorded_at=NOW)


def test_nobody_approves_their_own_hours_and_a_decision_is_made_once() -> None:
    e = entry()
    with pytest.raises(Forbidden):
        e.decide(True, Recorder(id="vol-a", role=Role.TEAM_LEADER), None, NOW)
    with pytest.raises(Invalid, match="why"):
        e.decide(False, Recorder(id="op-1", role=Role.STATION_OPERATOR), None, NOW)
    event = e.decide(True, Recorder(id="op-1", role=Role.STATION_OPERATOR), None, NOW)
    assert event is not None
    assert [(h.volunteer_id, h.hours) for h in event.hours] == [("vol-a", 2)]
    with pytest.raises(Conflict, match="approved, not pending"):
        e.decide(False, Recorder(id="op-1", role=Role.STATION_OPERATOR), "no", NOW)


def test_only_final_and_approved_hours_count() -> None:
    entries = [entry(EntryStatus.FINAL, 3), entry(EntryStatus.APPROVED, 2),
               entry(EntryStatus.PENDING, 5), entry(EntryStatus.REJECTED, 7)]
    assert counted_hours(entries) == 5


@pytest.mark.parametrize(("hours", "stars"), [(0, 0), (99.9, 0), (100, 1), (299, 1),
                                              (300, 2), (1000, 4), (1500, 5), (9000, 5)])
def test_star_levels_follow_the_thresholds(hours: float, stars: int) -> None:
    assert star_level(hours, STARS) == stars
