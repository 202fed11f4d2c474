"""The units tree as requests defines it (UnitDefined); population figures are stats' own."""

from __future__ import annotations

from civiloop_contracts.events.units import UnitDefined
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler, Received
from civiloop_stats.app.ports import UnitOfWork


async def on_unit_defined(event: Received[UnitDefined], uow: UnitOfWork) -> None:
    """A unit as requests now defines it; the latest definition (by time) is the one in force."""
    p = event.payload
    await uow.models.entity("units", p.unit_id, {}, history={"defined": (event.envelope.time, {
        "name": p.name, "name_en": p.name_en, "level": p.level.value, "parent": p.parent})})


UNIT_HANDLERS: dict[type[Payload], Handler] = {UnitDefined: on_unit_defined}
