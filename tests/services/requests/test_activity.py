"""An activity's life in the domain: publish, sign up within capacity, check in, hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from civiloop_contracts.events.activities import SignUpRole
from civiloop_contracts.values import Platform, TimeWindow, UnitRef
from civiloop_requests.domain.activity import Activity, ActivityState, Plan
from civiloop_requests.domain.errors import Conflict, DomainError

START = datetime(2026, 6, 14, 9, 0, tzinfo=UTC)
PART, STAFF = SignUpRole.PARTICIPANT, SignUpRole.STAFF


def _activity(capacity: int = 2) -> Activity:
    plan = Plan(unit=UnitRef(centre="kunqu", institute="kunhe", station="wanhe"),
                platform=Platform.SCIENCE, category="free_clinic", title="义诊", venue="广场",
                window=TimeWindow(start=START, end=START + timedelta(hours=2)),
                capacity=capacity)
    activity, planned = Activity.planned("act-1", plan, "op-1")
    assert planned.activity_id == "act-1"
    assert planned.platform is Platform.SCIENCE
    return activity


def _published(capacity: int = 2) -> Activity:
    activity = _activity(capacity)
    activity.publish("123456")
    return activity


def test_nobody_signs_up_before_it_is_published() -> None:
    with pytest.raises(Conflict, match="planned"):
        _activity().sign_up("res-1", PART, START - timedelta(days=1))


def test_sign_ups_stop_at_capacity_and_a_repeat_changes_nothing() -> None:
    activity, early = _published(capacity=1), START - timedelta(days=1)
    assert activity.sign_up("res-1", PART, early) is not None
    assert activity.sign_up("res-1", PART, early) is None
    with pytest.raises(Conflict, match="full"):
        activity.sign_up("res-2", PART, early)
    assert activity.sign_up("vol-1", STAFF, early) is not None  # staff are not capped


def test_a_sign_up_is_cancelled_only_before_the_start() -> None:
    activity = _published()
    activity.sign_up("res-1", PART, START - timedelta(days=1))
    with pytest.raises(Conflict, match="begun"):
        activity.cancel_sign_up("res-1", PART, START)
    activity.cancel_sign_up("res-1", PART, START - timedelta(minutes=1))
    assert activity.participants == []


def test_a_check_in_needs_the_code_and_the_activitys_time() -> None:
    activity = _published()
    with pytest.raises(DomainError, match="code"):
        activity.check_in("res-1", PART, START, code="000000")
    with pytest.raises(Conflict, match="checks in from"):
        activity.check_in("res-1", PART, START - timedelta(hours=2), code="123456")
    joined = activity.check_in("res-1", PART, START, code="123456")
    assert joined is not None
    assert activity.attended == 1


def test_staff_check_in_only_after_signing_up_and_out_after_in() -> None:
    activity = _published()
    with pytest.raises(Conflict, match="not staff"):
        activity.check_in("vol-1", STAFF, START)
    activity.sign_up("vol-1", STAFF, START - timedelta(days=1))
    activity.check_in("vol-1", STAFF, START)
    with pytest.raises(DomainError, match="after the check-in"):
        activity.check_out("vol-1", START)
    activity.check_out("vol-1", START + timedelta(hours=2))


def test_holding_counts_attended_and_walk_ins_and_carries_staff_times() -> None:
    activity, early = _published(capacity=5), START - timedelta(days=1)
    for person in ("res-1", "res-2", "res-3"):
        activity.sign_up(person, PART, early)
    activity.sign_up("vol-1", STAFF, early)
    activity.sign_up("vol-2", STAFF, early)  # never came: no hours
    activity.check_in("vol-1", STAFF, START)
    with pytest.raises(DomainError, match="not signed up"):
        activity.tick(["res-9"], 0, START)
    activity.tick(["res-1", "res-2"], 4, START + timedelta(minutes=5))
    held = activity.hold("op-1", START + timedelta(hours=2))
    assert (held.served, held.walk_ins, held.signed_up) == (6, 4, 3)
    assert [s.volunteer_id for s in held.staff] == ["vol-1"]
    assert held.attendees == ["res-1", "res-2"]  # who may rate it: res-3 never came
    assert held.staff[0].signed_up_at == early
    assert held.staff[0].checked_out_at is None
    assert activity.state is ActivityState.HELD
    with pytest.raises(Conflict):
        activity.sign_up("res-4", PART, START)


def test_it_is_not_held_before_it_begins_nor_cancelled_after() -> None:
    activity = _published()
    with pytest.raises(Conflict, match="not begun"):
        activity.hold("op-1", START - timedelta(minutes=1))
    activity.hold("op-1", START)
    with pytest.raises(Conflict, match="held"):
        activity.cancel(None)
