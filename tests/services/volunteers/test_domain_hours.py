"""Hours: check-in/out, completion with typed-in hours, approvals, star levels (the hour rules
themselves are in test_domain_hour_rules)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role
from civiloop_volunteers.domain.attendance import HourRules
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


ACCEPTED = NOW - timedelta(hours=3)
RULES = HourRules(3, 1, accepted_at={"vol-a": ACCEPTED, "vol-b": ACCEPTED})
"""A three-hour window, a margin of one hour, both volunteers on the order three hours ago."""


def service() -> Service:
    """An accepted order served by two volunteers."""
    return Service(assignment_id="as-1", order_id="ord-1", unit=unit(),
                   volunteer_ids=["vol-a", "vol-b"])


def test_hours_are_the_time_between_arrival_and_departure() -> None:
    s = service()
    s.check_in("vol-a", NOW - timedelta(hours=2), NOW)
    s.check_out("vol-a", NOW - timedelta(minutes=15), NOW)
    s.complete("vol-a", 1, None, {}, NOW, RULES)
    assert [(t.volunteer_id, t.hours, t.status) for t in s.hours] == [
        ("vol-a", 1.75, EntryStatus.FINAL)]


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


def test_completion_keeps_checked_hours_and_typed_in_ones_wait() -> None:
    s = service()
    s.check_in("vol-a", NOW - timedelta(hours=1), NOW)
    s.check_out("vol-a", NOW, NOW)
    with pytest.raises(Conflict, match="come from their check-in"):
        s.complete("vol-a", 10, None, {"vol-a": 2}, NOW, RULES)
    with pytest.raises(Invalid, match="exceed the order's window of 3 h plus the 1 h margin"):
        s.complete("vol-a", 10, None, {"vol-b": 4.5}, NOW, RULES)
    with pytest.raises(Forbidden):
        s.complete("vol-a", 10, None, {"vol-x": 1}, NOW, RULES)
    event = s.complete("vol-a", 10, "义诊", {"vol-b": 4}, NOW, RULES)
    assert {(h.volunteer_id, h.hours) for h in event.hours} == {("vol-a", 1.0), ("vol-b", 4.0)}
    assert {t.volunteer_id: (t.source, t.status) for t in s.hours} == {
        "vol-a": (Source.CHECK_IN_OUT, EntryStatus.FINAL),
        "vol-b": (Source.BACKFILL, EntryStatus.PENDING)}
    assert event.completed_by == "vol-a"  # requests' timeline names who reported it
    with pytest.raises(Conflict, match="completed already"):
        s.check_in("vol-b", NOW, NOW)


def test_a_completion_without_any_hours_asks_for_them() -> None:
    with pytest.raises(Invalid, match="at least one volunteer"):
        service().complete("vol-a", 1, None, {}, NOW, RULES)


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
