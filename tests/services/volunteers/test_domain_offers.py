"""接单 rules on the offer alone: who may answer, grab mode, withdrawals, deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import AssignMode
from civiloop_contracts.events.service import DeclineReason
from civiloop_volunteers.domain.errors import Conflict, Forbidden
from civiloop_volunteers.domain.offers import Offer, Party
from tests.services.volunteers.builders import unit

NOW = utcnow()


def offer(mode: AssignMode = AssignMode.DIRECTIVE, **changes: object) -> Offer:
    """An offer of ord-1 to two volunteers and a team, open for two hours."""
    fields: dict[str, object] = {
        "assignment_id": "as-1", "order_id": "ord-1", "mode": mode, "dispatching_unit": unit(),
        "volunteer_ids": ["vol-a", "vol-b"], "team_ids": ["team-1"],
        "accept_deadline": NOW + timedelta(hours=2), **changes}
    return Offer.model_validate(fields)


A, B, TEAM = Party(volunteer_id="vol-a"), Party(volunteer_id="vol-b"), Party(team_id="team-1")


def test_an_accept_names_who_serves() -> None:
    event = offer().accept(A, "vol-a", ["vol-a"], NOW)
    assert event is not None
    assert (event.accepted_by, event.volunteer_ids, event.team_id) == ("vol-a", ["vol-a"], None)


def test_someone_not_offered_is_forbidden() -> None:
    with pytest.raises(Forbidden, match="not offered to volunteer vol-x"):
        offer().accept(Party(volunteer_id="vol-x"), "vol-x", ["vol-x"], NOW)


def test_a_repeated_accept_raises_nothing_new() -> None:
    o = offer()
    o.accept(A, "vol-a", ["vol-a"], NOW)
    assert o.accept(A, "vol-a", ["vol-a"], NOW) is None
    assert len(o.accepted) == 1


def test_in_directive_mode_each_named_party_answers_for_itself() -> None:
    o = offer()
    o.accept(A, "vol-a", ["vol-a"], NOW)
    o.accept(B, "vol-b", ["vol-b"], NOW)
    assert o.serving() == ["vol-a", "vol-b"]


def test_in_grab_mode_the_first_accept_takes_it() -> None:
    o = offer(AssignMode.GRAB)
    o.accept(TEAM, "vol-lead", ["vol-lead"], NOW)
    with pytest.raises(Conflict, match="taken by team team-1 first"):
        o.accept(A, "vol-a", ["vol-a"], NOW)


def test_a_withdrawal_names_its_cause_and_may_spare_the_winner() -> None:
    o = offer(AssignMode.GRAB)
    o.accept(A, "vol-a", ["vol-a"], NOW)
    o.withdraw("grab_lost", ["vol-b", "team-1"])
    assert o.withdrawn_reason(A) is None
    with pytest.raises(Conflict, match="withdrawn: grab_lost"):
        o.decline(B, "vol-b", DeclineReason.OTHER, None, NOW)
    o.withdraw("cancelled (withdrawn)")
    assert o.withdrawn_reason(A) == "cancelled (withdrawn)"


def test_an_expired_offer_cannot_be_accepted() -> None:
    with pytest.raises(Conflict, match="expired"):
        offer(accept_deadline=NOW - timedelta(minutes=1)).accept(A, "vol-a", ["vol-a"], NOW)


def test_a_decline_after_accepting_is_refused_and_a_decliner_cannot_accept() -> None:
    o = offer()
    o.accept(A, "vol-a", ["vol-a"], NOW)
    with pytest.raises(Conflict, match="accepted"):
        o.decline(A, "vol-a", DeclineReason.UNAVAILABLE, None, NOW)
    event = o.decline(B, "vol-b", DeclineReason.TOO_FAR, "搬家了", NOW)
    assert (event.reason, event.note) == (DeclineReason.TOO_FAR, "搬家了")
    with pytest.raises(Conflict, match="declined"):
        o.accept(B, "vol-b", ["vol-b"], NOW)


def test_an_offer_awaits_a_party_until_it_answers_or_the_offer_goes() -> None:
    o = offer()
    assert (o.awaits(A, NOW), o.awaits(TEAM, NOW)) == (True, True)
    assert not o.awaits(Party(volunteer_id="vol-x"), NOW)  # never offered to them
    o.accept(A, "vol-a", ["vol-a"], NOW)
    o.decline(B, "vol-b", DeclineReason.UNAVAILABLE, None, NOW)
    assert (o.awaits(A, NOW), o.awaits(B, NOW), o.awaits(TEAM, NOW)) == (False, False, True)
    o.withdraw("taken_back")
    assert not o.awaits(TEAM, NOW)
    assert not offer().awaits(A, NOW + timedelta(hours=3))  # past its deadline
