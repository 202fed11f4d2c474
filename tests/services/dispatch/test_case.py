"""The dispatch case on the domain alone: offers, answers, deadlines, take-backs, cancels."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.dispatch import (
    AssignMode,
    EscalationCause,
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    RedispatchCause,
    WithdrawCause,
)
from civiloop_contracts.values import Role, UnitLevel
from civiloop_dispatch.domain.case import Case, CaseStatus
from civiloop_dispatch.domain.errors import NotDispatchable
from civiloop_dispatch.domain.fairness import Spread
from civiloop_dispatch.domain.scoring import Scored, score
from tests.services.dispatch.builders import T0, at
from tests.services.dispatch.test_scoring import need, volunteer


def scored(*refs: str) -> list[Scored]:
    """Candidates scored for the test need."""
    return [score(volunteer(r), need(), T0, default_cap=3) for r in refs]


def offered(*refs: str, mode: AssignMode = AssignMode.DIRECTIVE) -> Case:
    """A case dispatched to ``refs``."""
    case = Case.open("o1", need(), T0)
    case.dispatch(scored(*refs), mode, T0, 30, None)
    return case


def test_the_first_dispatch_is_dispatched_and_the_next_a_redispatch() -> None:
    case = Case.open("o1", need(), T0)
    first = case.dispatch(scored("a"), AssignMode.DIRECTIVE, T0, 30, None)
    assert isinstance(first, OrderDispatched)
    assert first.accept_deadline == at(30)
    assert case.expire(first.assignment_id, at(31)) is not None
    again = case.dispatch(scored("b"), AssignMode.DIRECTIVE, at(31), 30, RedispatchCause.EXPIRED)
    assert isinstance(again, OrderRedispatched)
    assert (again.attempt, again.previous_assignment_id) == (2, first.assignment_id)
    assert case.tried == ["volunteer:a", "volunteer:b"]


def test_in_grab_mode_the_first_accept_wins_and_a_late_one_is_stale() -> None:
    case = offered("a", "b", "c", mode=AssignMode.GRAB)
    assert case.offer is not None
    aid = case.offer.assignment_id
    won = case.accept(aid, "b", None, at(1))
    assert won is not None
    winner, [withdrawn] = won
    assert winner == "volunteer:b"
    assert isinstance(withdrawn, OrderWithdrawn)
    assert (withdrawn.cause, withdrawn.volunteer_ids) == (WithdrawCause.GRAB_LOST, ["a", "c"])
    assert case.accept(aid, "a", None, at(2)) is None
    assert case.expire(aid, at(40)) is None  # an answered offer does not expire


def test_a_grab_offer_needs_every_no_before_it_is_routed_again() -> None:
    case = offered("a", "b", mode=AssignMode.GRAB)
    assert case.offer is not None
    aid = case.offer.assignment_id
    assert case.decline(aid, "a", at(1)) == ("volunteer:a", False)
    assert case.decline(aid, "a", at(1)) is None  # repeated
    assert case.decline(aid, "stranger", at(1)) is None
    assert case.decline(aid, "b", at(2)) == ("volunteer:b", True)
    assert case.offer is None


def test_escalation_moves_up_and_the_centre_gives_up() -> None:
    case = offered("a")
    up = case.escalate(UnitLevel.INSTITUTE, EscalationCause.EXPIRED, at(1))
    assert isinstance(up, OrderEscalated)
    assert (case.level, case.tries_at_level, up.to_unit.station) == (UnitLevel.INSTITUTE, 0, None)
    gave_up = case.give_up(at(2))
    assert isinstance(gave_up, OrderUnassignable)
    assert case.status is CaseStatus.UNASSIGNABLE


def test_cancel_withdraws_and_then_nothing_can_be_dispatched() -> None:
    case = offered("a")
    released, [withdrawn] = case.cancel(at(1))
    assert released == []
    assert isinstance(withdrawn, OrderWithdrawn)
    assert withdrawn.cause is WithdrawCause.TAKEN_BACK
    with pytest.raises(NotDispatchable, match="order o1 is cancelled: cannot dispatch"):
        case.dispatch(scored("b"), AssignMode.DIRECTIVE, at(2), 30, None)
    assert case.cancel(at(3)) == ([], [])


def test_a_manual_dispatch_replaces_the_offer_and_says_why() -> None:
    case = offered("a")
    events = case.dispatch_manually(volunteer("b"), "knows the family", Role.DISPATCHER, at(1), 30,
                                    dispatcher_id="disp-7")
    withdrawn, manual = events
    assert isinstance(withdrawn, OrderWithdrawn)
    assert isinstance(manual, OrderRedispatched)
    assert (manual.dispatched_by, manual.dispatcher_id) == (Role.DISPATCHER, "disp-7")
    assert [r.note for r in manual.reasons] == ["knows the family"]
    assert case.tries_at_level == 1  # a person's choice is no try of the matcher


def test_accepted_then_completed_frees_the_load_once_and_reopen_starts_over() -> None:
    case = offered("a")
    assert case.offer is not None
    assert case.accept(case.offer.assignment_id, "a", None, at(1)) is not None
    assert case.complete(at(2)) == ["volunteer:a"]
    assert case.complete(at(3)) == []
    assert case.reopen(at(4))
    assert (case.status, case.tried, case.level) == (CaseStatus.WAITING, [], UnitLevel.STATION)


def test_spread_counts_those_without_work_as_zero() -> None:
    spread = Spread.of([2.0], population=2)
    assert (spread.total, spread.mean, spread.stdev, spread.min, spread.max, spread.cv) == (
        2.0, 1.0, 1.0, 0.0, 2.0, 1.0)
    even = Spread.of([1.0, 1.0], population=2)
    assert even.cv == 0.0
    assert Spread.of([], population=0).mean == 0
