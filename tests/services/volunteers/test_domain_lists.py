"""Who may list which part of the registry: the district anything, staff their own unit."""

from __future__ import annotations

import pytest

from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.domain.access import listing_scope
from civiloop_volunteers.domain.errors import Forbidden


def caller(role: Role, station: str | None = None, institute: str | None = None) -> Principal:
    return Principal(subject="someone", role=role, station=station, institute=institute)


def test_the_district_lists_what_it_asks_for() -> None:
    admin = caller(Role.DISTRICT_ADMIN)
    assert listing_scope(admin, None, None) == (None, None)
    assert listing_scope(admin, "s1", "i1") == ("s1", "i1")
    assert listing_scope(caller(Role.SERVICE), None, "i2") == (None, "i2")


def test_a_station_lists_only_itself() -> None:
    operator = caller(Role.STATION_OPERATOR, "s1", "i1")
    assert listing_scope(operator, None, None) == ("s1", None)
    assert listing_scope(operator, "s1", "i1") == ("s1", None)
    with pytest.raises(Forbidden, match="s2"):
        listing_scope(operator, "s2", None)
    with pytest.raises(Forbidden, match="i2"):
        listing_scope(operator, None, "i2")


def test_an_institute_lists_itself_or_one_of_its_stations() -> None:
    dispatcher = caller(Role.DISPATCHER, institute="i1")
    assert listing_scope(dispatcher, None, None) == (None, "i1")
    assert listing_scope(dispatcher, "s9", None) == ("s9", "i1")  # s9 outside i1 lists nothing
    with pytest.raises(Forbidden, match="i2"):
        listing_scope(dispatcher, None, "i2")


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TEAM_LEADER, Role.RESIDENT])
def test_people_do_not_list_a_units_records(role: Role) -> None:
    with pytest.raises(Forbidden, match=role.value):
        listing_scope(caller(role, "s1", "i1"), None, None)


def test_a_unit_bound_role_without_a_unit_lists_nothing() -> None:
    with pytest.raises(Forbidden, match="the district"):
        listing_scope(caller(Role.STATION_OPERATOR), None, None)
