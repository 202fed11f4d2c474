"""The units tree (中心 → 所 → 站) and the rule that an order names units that are in it."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from civiloop_contracts.events.units import UnitDefined, UnitName
from civiloop_contracts.values import UnitCode, UnitLevel, UnitRef
from civiloop_requests.domain.errors import MisplacedUnit, UnknownUnit

PARENT_LEVEL = {UnitLevel.INSTITUTE: UnitLevel.CENTRE, UnitLevel.STATION: UnitLevel.INSTITUTE}


def _a(level: UnitLevel) -> str:
    return f"an {level}" if level is UnitLevel.INSTITUTE else f"a {level}"


class Unit(BaseModel):
    """One unit of the network: its code (as orders name it), names, level and parent."""

    model_config = ConfigDict(frozen=True)

    code: UnitCode
    name: UnitName
    name_en: UnitName | None = None
    level: UnitLevel
    parent: UnitCode | None = None

    def defined(self) -> UnitDefined:
        """The event announcing this unit as it now is."""
        return UnitDefined(unit_id=self.code, **self.model_dump(exclude={"code"}))


def check_fits(unit: Unit, units: Mapping[str, Unit]) -> None:
    """MisplacedUnit unless ``unit`` may stand in the tree ``units`` (keyed by code)."""
    known = units.get(unit.code)
    if known is not None and known.level is not unit.level:
        raise MisplacedUnit(f"unit {unit.code} is {_a(known.level)}; a unit's level never "
                            f"changes")
    if unit.level is UnitLevel.CENTRE:
        if unit.parent is not None:
            raise MisplacedUnit(f"unit {unit.code}: a centre has no parent")
        return
    parent = units.get(unit.parent or "")
    if parent is None:
        raise MisplacedUnit(f"unit {unit.code}: parent {unit.parent} is not in the units tree")
    if parent.level is not PARENT_LEVEL[unit.level]:
        raise MisplacedUnit(f"unit {unit.code}: {_a(unit.level)} belongs to "
                            f"{_a(PARENT_LEVEL[unit.level])}, not to {parent.level} {parent.code}")


def check_ref(ref: UnitRef, units: Mapping[str, Unit]) -> None:
    """UnknownUnit naming the field unless every code of ``ref`` is that unit of the tree."""
    chain = ((UnitLevel.CENTRE, ref.centre, None),
             (UnitLevel.INSTITUTE, ref.institute, ref.centre),
             (UnitLevel.STATION, ref.station, ref.institute))
    for level, code, parent in chain:
        if code is None:
            continue
        unit = units.get(code)
        if unit is None or unit.level is not level:
            raise UnknownUnit(f"unit.{level}", f"{code!r} is not {_a(level)} in the units tree")
        if unit.parent != parent:
            raise UnknownUnit(f"unit.{level}", f"{code!r} belongs to {unit.parent!r}, "
                                               f"not to {parent!r}")
