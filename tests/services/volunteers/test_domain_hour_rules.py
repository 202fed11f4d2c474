"""The hour rules (issue 13): short services complete, hours outside the rules wait for
approval capped, and no careless or dishonest step leaves an order unable to finish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_volunteers.domain.attendance import CLOCK_SKEW, HourRules
from civiloop_volunteers.domain.errors import Conflict, Invalid
from civiloop_volunteers.domain.ledger import EntryStatus, Source, content_of, ledger_hours
from civiloop_volunteers.domain.service import Service
from tests.services.volunteers.builders import unit

NOW = utcnow()
ACCEPTED = NOW - timedelta(hours=6)


def rules(window: float | None = 2, margin: float = 1) -> HourRules:
    """A two-hour window and a one-hour margin; everyone accepted six hours ago."""
    return HourRules(window, margin, accepted_at={v: ACCEPTED for v in ("vol-a", "vol-b")})


def served(in_ago: timedelta, out_ago: timedelta | None = None, *,
           volunteer: str = "vol-a") -> Service:
    """A service where ``volunteer`` checked in ``in_ago`` and (if given) out ``out_ago``."""
    s = Service(assignment_id="as-1", order_id="ord-1", unit=unit(), team_id="team-1",
                leader_id="lead-1", volunteer_ids=["vol-a", "vol-b"])
    s.check_in(volunteer, NOW - in_ago, NOW)
    if out_ago is not None:
        s.check_out(volunteer, NOW - out_ago, NOW)
    return s


def tallied(s: Service, hour_rules: HourRules | None = None,
            claimed: dict[str, float] | None = None) -> dict[str, tuple[float, EntryStatus]]:
    """Complete ``s`` now; each volunteer's hours and status."""
    event = s.complete("lead-1", 5, None, claimed or {}, NOW, hour_rules or rules())
    found = {t.volunteer_id: (t.hours, t.status) for t in s.hours}
    assert {h.volunteer_id: h.hours for h in event.hours} == {v: h for v, (h, _) in found.items()}
    return found


@pytest.mark.parametrize(("span", "hours"), [
    (timedelta(0), 0), (timedelta(seconds=1), 0.01), (timedelta(seconds=36), 0.01),
    (timedelta(seconds=37), 0.02), (timedelta(hours=2, minutes=30), 2.5),
    (timedelta(hours=1, microseconds=1), 1.01)])
def test_hours_round_up_to_the_hundredth(span: timedelta, hours: float) -> None:
    assert ledger_hours(span) == hours


def test_a_service_of_seconds_completes_with_the_smallest_unit_final() -> None:
    s = served(timedelta(hours=1), timedelta(hours=1, seconds=-10))
    assert tallied(s) == {"vol-a": (0.01, EntryStatus.FINAL)}


def test_a_check_in_before_the_accept_waits_for_approval() -> None:
    s = served(timedelta(hours=7), timedelta(hours=6))
    assert tallied(s) == {"vol-a": (1.0, EntryStatus.PENDING)}
    assert "before the accept" in (s.hours[0].review or "")


def test_a_phone_clock_a_little_behind_is_believed() -> None:
    s = served(timedelta(hours=6) + CLOCK_SKEW - timedelta(seconds=1), timedelta(hours=5))
    assert tallied(s)["vol-a"][1] is EntryStatus.FINAL


def test_hours_over_the_window_and_margin_are_capped_and_wait() -> None:
    within = served(timedelta(hours=4), timedelta(hours=1))
    assert tallied(within) == {"vol-a": (3.0, EntryStatus.FINAL)}
    over = served(timedelta(hours=5), timedelta(hours=1))
    assert tallied(over) == {"vol-a": (3.0, EntryStatus.PENDING)}
    assert "4 h exceed the order's window of 2 h plus the 1 h margin" in (over.hours[0].review
                                                                         or "")


def test_the_margin_is_a_setting() -> None:
    s = served(timedelta(hours=5), timedelta(hours=1))
    assert tallied(s, rules(margin=2)) == {"vol-a": (4.0, EntryStatus.FINAL)}


def test_without_the_order_s_window_nothing_is_final() -> None:
    s = served(timedelta(hours=3), timedelta(hours=1))
    assert tallied(s, rules(window=None)) == {"vol-a": (2.0, EntryStatus.PENDING)}
    assert "window is not known" in (s.hours[0].review or "")


def test_a_check_out_a_day_later_is_taken_then_capped_for_approval() -> None:
    s = served(timedelta(hours=40), None)
    s.check_out("vol-a", NOW - timedelta(hours=10), NOW)
    assert tallied(s, HourRules(2, 1, accepted_at={"vol-a": NOW - timedelta(hours=41)})) == {
        "vol-a": (3.0, EntryStatus.PENDING)}


def test_a_check_out_before_or_at_the_check_in_is_refused_and_the_order_still_finishes() -> None:
    s = served(timedelta(hours=2))
    for at in (NOW - timedelta(hours=3), NOW - timedelta(hours=2)):
        with pytest.raises(Invalid, match="after the check-in"):
            s.check_out("vol-a", at, NOW)
    s.check_out("vol-a", NOW, NOW)
    with pytest.raises(Conflict, match="checked out already"):
        s.check_out("vol-a", NOW, NOW)
    assert tallied(s) == {"vol-a": (2.0, EntryStatus.FINAL)}


def test_the_leader_completes_while_a_member_never_checked_out() -> None:
    s = served(timedelta(hours=2), timedelta(hours=1))
    s.check_in("vol-b", NOW - timedelta(hours=2), NOW)
    assert tallied(s) == {"vol-a": (1.0, EntryStatus.FINAL),
                          "vol-b": (2.0, EntryStatus.PENDING)}
    assert "did not check out" in (s.hours[1].review or "")
    with pytest.raises(Conflict, match="completed already"):
        s.check_out("vol-b", NOW, NOW)


def test_the_leader_may_type_in_the_hours_of_a_member_who_did_not_check_out() -> None:
    s = served(timedelta(hours=2), timedelta(hours=1))
    s.check_in("vol-b", NOW - timedelta(hours=2), NOW)
    assert tallied(s, claimed={"vol-b": 1.5})["vol-b"] == (1.5, EntryStatus.PENDING)
    assert s.hours[1].source is Source.BACKFILL


def test_a_member_who_never_checked_out_long_ago_does_not_block_the_order() -> None:
    s = served(timedelta(hours=47))
    assert tallied(s, HourRules(2, 1, accepted_at={"vol-a": NOW - timedelta(hours=48)})) == {
        "vol-a": (3.0, EntryStatus.PENDING)}


def test_a_check_in_a_little_ahead_of_the_completion_still_completes() -> None:
    s = served(-CLOCK_SKEW)
    assert tallied(s) == {"vol-a": (0.01, EntryStatus.PENDING)}


def test_typed_in_hours_stay_within_the_window_and_margin_or_a_day() -> None:
    with pytest.raises(Invalid, match=r"3\.5 h exceed the order's window of 2 h plus the 1 h"):
        served(timedelta(hours=1), timedelta(0)).complete(
            "lead-1", 1, None, {"vol-b": 3.5}, NOW, rules())
    with pytest.raises(Invalid, match="25 h exceed 24 h"):
        served(timedelta(hours=1), timedelta(0)).complete(
            "lead-1", 1, None, {"vol-b": 25}, NOW, rules(window=None))
    s = served(timedelta(hours=1), timedelta(0))
    assert tallied(s, claimed={"vol-b": 3})["vol-b"] == (3.0, EntryStatus.PENDING)


def test_a_long_summary_is_clipped_in_the_ledger() -> None:
    assert len(content_of("很" * 1000, "ord-1")) == 500
    assert content_of("  ", "ord-1") == "order ord-1"
