"""The network's units tree (中心 → 所 → 站), as the requests service keeps it.

requests owns the tree because orders name their station and institute there, and it must
refuse an order naming a unit that is not in it; every other service follows these events
(stats keeps its own population figures beside them).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import REQUESTS
from civiloop_contracts.values import UnitCode, UnitLevel

UnitName = Annotated[str, Field(min_length=1, max_length=100)]


class UnitDefined(Payload, topic=REQUESTS, version="1.0", key="unit_id"):
    """A unit is added to the tree, or its names or parent change: the whole unit each time."""

    unit_id: UnitCode = Field(description="The unit's code, as orders and events name it.")
    name: UnitName
    name_en: UnitName | None = None
    level: UnitLevel
    parent: UnitCode | None = Field(default=None, description="None only for the centre.")
