"""Counted hours per volunteer, team, station, institute or district, for those who may see them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from civiloop_contracts.values import UnitLevel
from civiloop_platform.auth import Principal, authorize
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.app.registry import see_team, see_volunteer


class Level(StrEnum):
    """What to total hours by."""

    VOLUNTEER = "volunteer"
    TEAM = "team"
    STATION = "station"
    INSTITUTE = "institute"
    DISTRICT = "district"


FIELDS = {Level.VOLUNTEER: "volunteer_id", Level.TEAM: "team_id", Level.STATION: "unit.station",
          Level.INSTITUTE: "unit.institute", Level.DISTRICT: None}
UNIT_LEVELS = {Level.STATION: UnitLevel.STATION, Level.INSTITUTE: UnitLevel.INSTITUTE,
               Level.DISTRICT: UnitLevel.CENTRE}


async def totals(uow: Uow, principal: Principal, by: Level, key: str | None
                 ) -> list[dict[str, Any]]:
    """Final and approved hours grouped by ``by``, over what the caller may see.

    One volunteer or team (``key``): themselves, their leader or members, their unit's staff.
    Otherwise only staff, over their scope: an institute's dispatcher asking for one of its
    stations gets it, for a station elsewhere nothing; asking beside or above their own unit
    is refused.
    """
    field = FIELDS[by]
    if by is Level.VOLUNTEER and key is not None:
        await see_volunteer(uow, principal, key)
        return await uow.hours.totals(field, {"volunteer_id": key})
    if by is Level.TEAM and key is not None:
        await see_team(uow, principal, key)
        return await uow.hours.totals(field, {"team_id": key})
    authorize(principal, "hours.totals.units")
    units = principal.scope
    if by in UNIT_LEVELS:
        level = UNIT_LEVELS[by]
        units.require_level(level)  # a station's staff never get part of an institute's total
        if key is not None:
            units = units.narrowed(**{level.value: key})
    return await uow.hours.totals(field, units.match("unit"))
