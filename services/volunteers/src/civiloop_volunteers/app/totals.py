"""Counted hours per volunteer, team, station, institute or district, for those who may see them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.app.registry import load_team, see_volunteer
from civiloop_volunteers.domain.access import require_team_manager
from civiloop_volunteers.domain.errors import Forbidden


class Level(StrEnum):
    """What to total hours by."""

    VOLUNTEER = "volunteer"
    TEAM = "team"
    STATION = "station"
    INSTITUTE = "institute"
    DISTRICT = "district"


FIELDS = {Level.VOLUNTEER: "volunteer_id", Level.TEAM: "team_id", Level.STATION: "unit.station",
          Level.INSTITUTE: "unit.institute", Level.DISTRICT: None}


async def totals(uow: Uow, principal: Principal, by: Level, key: str | None
                 ) -> list[dict[str, Any]]:
    """Final and approved hours grouped by ``by`` (one ``key`` only, unless the district asks)."""
    await _may_total(uow, principal, by, key)
    field = FIELDS[by]
    return await uow.hours.totals(field, {field: key} if field and key else {})


async def _may_total(uow: Uow, principal: Principal, by: Level, key: str | None) -> None:
    """Themselves, their team's leader, their station or institute; the district sees all."""
    if principal.role is Role.DISTRICT_ADMIN:
        return
    if key is None or by is Level.DISTRICT:
        raise Forbidden("only the district totals the whole district or every unit")
    if by is Level.VOLUNTEER:
        await see_volunteer(uow, principal, key)
    elif by is Level.TEAM:
        team = await load_team(uow, key)
        require_team_manager(principal, team.leader_id, team.unit, key)
    elif not (principal.station == key if by is Level.STATION else principal.institute == key):
        raise Forbidden(f"{by.value} {key} is outside this caller's unit")
