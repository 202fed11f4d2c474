"""Who sees which orders and whose phone: the listing scope and the per-order rules."""

from __future__ import annotations

import pytest

from civiloop_contracts.values import Role
from civiloop_platform.auth.scope import AccessDenied, Scope
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.queries import OrderCriteria, scoped
from civiloop_requests.domain.errors import NotAllowed
from civiloop_requests.domain.status import Step
from civiloop_requests.entrypoints.access import may_see, sees_contact
from tests.services.requests.builders import at, by, placed


def caller(role: Role, subject: str = "u-1", station: str | None = None,
           institute: str | None = None) -> Principal:
    return Principal(subject=subject, role=role, station=station, institute=institute)


def test_a_resident_lists_only_their_own_orders_and_cannot_ask_for_others() -> None:
    assert scoped(OrderCriteria(), caller(Role.RESIDENT, "res-1")).resident_id == "res-1"
    with pytest.raises(NotAllowed):
        scoped(OrderCriteria(resident_id="res-2"), caller(Role.RESIDENT, "res-1"))


def test_staff_are_pinned_to_their_unit_and_the_district_sees_all() -> None:
    station = caller(Role.STATION_OPERATOR, station="wanhe-sunshine", institute="kunhe-town")
    assert scoped(OrderCriteria(), station).units == Scope(station="wanhe-sunshine",
                                                          institute="kunhe-town")
    with pytest.raises(AccessDenied):
        scoped(OrderCriteria(station="dongcun"), station)
    with pytest.raises(AccessDenied, match="wider"):  # not the whole institute
        scoped(OrderCriteria(institute="kunhe-town"), station)
    institute = caller(Role.DISPATCHER, institute="kunhe-town")
    assert scoped(OrderCriteria(station="dongcun"), institute).units == Scope(
        institute="kunhe-town", station="dongcun")
    admin = scoped(OrderCriteria(station="dongcun"), caller(Role.DISTRICT_ADMIN))
    assert admin.units == Scope(station="dongcun")
    with pytest.raises(AccessDenied, match="must name its station"):
        scoped(OrderCriteria(), caller(Role.STATION_OPERATOR, institute="kunhe-town"))


def test_a_volunteer_sees_an_order_and_its_phone_only_after_accepting_it() -> None:
    order = placed()
    volunteer = caller(Role.VOLUNTEER, "vol-1")
    assert not may_see(volunteer, order)
    order.apply(Step.DISPATCH, at(1), by(Role.SERVICE))
    order.accept(["vol-1"], at(2), by(Role.VOLUNTEER))
    assert may_see(volunteer, order)
    assert sees_contact(volunteer, order)
    assert not sees_contact(caller(Role.VOLUNTEER, "vol-2"), order)


def test_the_phone_is_for_the_resident_and_their_station_not_the_institute() -> None:
    order = placed()  # resident res-1 at wanhe-sunshine
    assert sees_contact(caller(Role.RESIDENT, "res-1"), order)
    assert not sees_contact(caller(Role.RESIDENT, "res-2"), order)
    assert sees_contact(caller(Role.STATION_OPERATOR, station="wanhe-sunshine"), order)
    institute = caller(Role.DISPATCHER, institute="kunhe-town")
    assert may_see(institute, order)
    assert not sees_contact(institute, order)
    assert not may_see(caller(Role.STATION_OPERATOR, institute="kunhe-town"), order)
    assert not sees_contact(caller(Role.DISTRICT_ADMIN), order)
