"""The units tree's rules: a unit fits under a parent one level up, and an order's UnitRef
names units of the tree, each under the one the order names above it."""

from __future__ import annotations

import pytest

from civiloop_contracts.values import UnitLevel, UnitRef
from civiloop_requests.domain.errors import MisplacedUnit, UnknownUnit
from civiloop_requests.domain.units import Unit, check_fits, check_ref

TREE = {u.code: u for u in (
    Unit(code="kunqu", name="昆区中心", level=UnitLevel.CENTRE),
    Unit(code="kunhe", name="昆河镇所", level=UnitLevel.INSTITUTE, parent="kunqu"),
    Unit(code="youyi", name="友谊大街所", level=UnitLevel.INSTITUTE, parent="kunqu"),
    Unit(code="wanhe", name="万和阳光站", level=UnitLevel.STATION, parent="kunhe"),
)}


def test_an_order_at_a_station_of_the_tree_passes() -> None:
    check_ref(UnitRef(centre="kunqu", institute="kunhe", station="wanhe"), TREE)
    check_ref(UnitRef(centre="kunqu", institute="youyi"), TREE)


@pytest.mark.parametrize(("ref", "field", "why"), [
    (UnitRef(centre="kunqu", institute="kunhe", station="ghost"), "unit.station",
     "'ghost' is not a station in the units tree"),
    (UnitRef(centre="kunqu", institute="youyi", station="wanhe"), "unit.station",
     "'wanhe' belongs to 'kunhe', not to 'youyi'"),
    (UnitRef(centre="kunqu", institute="wanhe", station="wanhe"), "unit.institute",
     "'wanhe' is not an institute in the units tree"),
    (UnitRef(centre="elsewhere", institute="kunhe", station="wanhe"), "unit.centre",
     "'elsewhere' is not a centre in the units tree"),
])
def test_an_order_naming_a_unit_outside_the_tree_is_refused_naming_the_field(
        ref: UnitRef, field: str, why: str) -> None:
    with pytest.raises(UnknownUnit) as refused:
        check_ref(ref, TREE)
    assert (refused.value.field, str(refused.value)) == (field, f"{field}: {why}")


def test_a_unit_fits_only_under_a_parent_one_level_up_and_keeps_its_level() -> None:
    check_fits(Unit(code="new", name="新站", level=UnitLevel.STATION, parent="youyi"), TREE)
    check_fits(Unit(code="wanhe", name="改名", level=UnitLevel.STATION, parent="kunhe"), TREE)
    for unit, why in (
        (Unit(code="new", name="x", level=UnitLevel.STATION, parent="kunqu"),
         "a station belongs to an institute, not to centre kunqu"),
        (Unit(code="new", name="x", level=UnitLevel.STATION, parent="nowhere"),
         "parent nowhere is not in the units tree"),
        (Unit(code="kunqu", name="x", level=UnitLevel.CENTRE, parent="kunhe"),
         "a centre has no parent"),
        (Unit(code="kunhe", name="x", level=UnitLevel.STATION, parent="youyi"),
         "a unit's level never changes"),
    ):
        with pytest.raises(MisplacedUnit, match=why):
            check_fits(unit, TREE)
