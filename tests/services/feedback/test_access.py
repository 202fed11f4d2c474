"""Who sees which rating: the resident theirs, volunteers theirs anonymously, staff their unit's."""

from __future__ import annotations

import pytest

from civiloop_contracts.values import Role
from civiloop_feedback.app.access import Scope, Visibility, scope_of, visibility
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement
from civiloop_feedback.entrypoints.views import rating_view
from civiloop_platform.auth import Principal
from civiloop_platform.auth.scope import EVERYWHERE, AccessDenied
from civiloop_platform.auth.scope import Scope as Units
from tests.services.feedback.builders import admin, operator, resident, volunteer
from tests.services.feedback.test_ratings import rate, served


@pytest.mark.parametrize(("reader", "seen"), [
    (resident(), Visibility.FULL), (resident("res-2"), Visibility.NONE),
    (volunteer(), Visibility.ANONYMOUS), (volunteer("vol-9"), Visibility.NONE),
    (Principal(role=Role.TEAM_LEADER, subject="vol-1"), Visibility.ANONYMOUS),
    (operator(), Visibility.FULL), (operator("other-station"), Visibility.NONE),
    (Principal(role=Role.DISPATCHER, subject="d-1", institute="kunhe-town"), Visibility.FULL),
    (admin(), Visibility.FULL)])
async def test_who_sees_a_rating(reader: Rater, seen: Visibility) -> None:
    uow = await served()
    rating = await rate(uow, Judgement(stars=4))
    assert visibility(rating, reader) is seen


async def test_a_volunteer_never_sees_the_resident() -> None:
    uow = await served()
    rating = await rate(uow, Judgement(stars=2, comment="来晚了"))
    view = rating_view(rating, visibility(rating, volunteer()))
    assert view.resident_id is None
    assert "res-1" not in view.model_dump_json()
    assert rating_view(rating, Visibility.FULL).resident_id == "res-1"


def test_each_reader_lists_their_share() -> None:
    assert scope_of(resident()) == Scope(resident_id="res-1")
    assert scope_of(volunteer()) == Scope(volunteer_id="vol-1")
    assert scope_of(operator()) == Scope(units=Units(station="wanhe-sunshine"))
    assert scope_of(Principal(role=Role.DISPATCHER, subject="d", institute="kunhe-town")) == Scope(
        units=Units(institute="kunhe-town"))
    assert scope_of(admin()) == Scope(units=EVERYWHERE)
    with pytest.raises(AccessDenied, match="must name its station"):
        scope_of(Principal(role=Role.STATION_OPERATOR, subject="op"))
