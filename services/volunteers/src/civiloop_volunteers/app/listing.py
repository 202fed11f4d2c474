"""Lists of a unit's registry and services, for its staff and the district (counts, recounts)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from civiloop_contracts.events.volunteers import VolunteerStatus
from civiloop_contracts.values import Platform, Specialty, UnitRef
from civiloop_platform.auth import Principal
from civiloop_volunteers.adapters.documents import Documents
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.domain.volunteer import Volunteer


class Listed(StrEnum):
    """What a unit list holds."""

    VOLUNTEERS = "volunteers"
    SERVICES = "services"
    TEAMS = "teams"
    ORGANISATIONS = "organisations"


class RosterEntry(BaseModel):
    """A volunteer as a unit's list shows them: who is registered where, no personal data."""

    volunteer_id: str
    unit: UnitRef
    status: VolunteerStatus
    registered_at: datetime
    star_level: int
    specialties: list[Specialty]
    platforms: list[Platform]

    @classmethod
    def of(cls, volunteer: Volunteer) -> RosterEntry:
        """The roster line of ``volunteer``."""
        return cls.model_validate(volunteer.model_dump(include=set(cls.model_fields)))


class Page(BaseModel):
    """One page of a list, in id order, and how many match in all."""

    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


def _documents(uow: Uow, listed: Listed) -> Documents[Any]:
    found: dict[Listed, Documents[Any]] = {
        Listed.VOLUNTEERS: uow.volunteers, Listed.SERVICES: uow.services,
        Listed.TEAMS: uow.teams, Listed.ORGANISATIONS: uow.organisations}
    return found[listed]


async def list_unit(uow: Uow, principal: Principal, listed: Listed, station: str | None,
                    institute: str | None, page: int, page_size: int) -> Page:
    """One page of ``listed`` in the asked part of the caller's unit (AccessDenied outside it)."""
    query = principal.scope.narrowed(institute=institute, station=station).match()
    found, total = await _documents(uow, listed).page(query, (page - 1) * page_size, page_size)
    items = [RosterEntry.of(v).model_dump(mode="json") if listed is Listed.VOLUNTEERS
             else v.model_dump(mode="json") for v in found]
    return Page(items=items, total=total, page=page, page_size=page_size)
