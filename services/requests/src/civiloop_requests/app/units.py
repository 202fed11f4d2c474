"""Defining the units tree: requests owns it, because orders must name units that are in it."""

from __future__ import annotations

from civiloop_requests.app.placing import Announce
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.units import Unit, check_fits


async def define_unit(uow: UnitOfWork, unit: Unit, announce: Announce) -> bool:
    """Store ``unit`` and announce it (UnitDefined) unless it is stored as is; True when new.

    MisplacedUnit when it does not fit the tree.
    """
    known = await uow.units.of([unit.code, unit.parent])
    check_fits(unit, known)
    before = known.get(unit.code)
    if before != unit:
        await uow.units.put(unit)
        uow.publish(announce(unit.defined()))
    return before is None
