"""Lists of a unit's registry and services, for its staff and the district (counts, recounts)."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from civiloop_contracts.events.volunteers import VolunteerStatus
from civiloop_contracts.masking import mask_phone
from civiloop_contracts.values import Platform, Specialty, UnitRef
from civiloop_platform.auth import Principal
from civiloop_volunteers.app.ports import Store
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.volunteer import Volunteer


class Listed(StrEnum):
    """What a unit list holds."""

    VOLUNTEERS = "volunteers"
    SERVICES = "services"
    TEAMS = "teams"
    ORGANISATIONS = "organisations"


class RosterEntry(BaseModel):
    """A volunteer as their unit's staff list them: name and a masked phone, never the ID."""

    volunteer_id: str
    name: str
    phone: str
    volunteer_number: str | None = None
    unit: UnitRef
    status: VolunteerStatus
    registered_at: datetime
    star_level: int
    specialties: list[Specialty]
    skills: list[str]
    platforms: list[Platform]

    @classmethod
    def of(cls, volunteer: Volunteer) -> RosterEntry:
        """The roster line of ``volunteer``."""
        fields = volunteer.model_dump(include=set(cls.model_fields))
        return cls.model_validate({**fields, "phone": mask_phone(volunteer.phone)})


class Filters(BaseModel):
    """What a list may be narrowed by besides the unit; unset filters match everything."""

    q: str | None = None
    status: str | None = None
    specialty: str | None = None
    platform: str | None = None
    kind: str | None = None
    organisation: str | None = None
    active: bool | None = None


NUMBER = re.compile(r"^[0-9A-Za-z-]*[0-9][0-9A-Za-z-]*$")
"""A search that looks like a volunteer or registration number (has a digit, no CJK)."""
_FIELDS: dict[Listed, dict[str, str]] = {
    Listed.VOLUNTEERS: {"status": "status", "specialty": "specialties",
                        "platform": "platforms"},
    Listed.TEAMS: {"specialty": "specialty", "platform": "platform",
                   "organisation": "organisation_id", "active": "active"},
    Listed.ORGANISATIONS: {"kind": "kind", "specialty": "specialties", "active": "active"},
    Listed.SERVICES: {},
}
_NUMBERS = {Listed.VOLUNTEERS: "volunteer_number", Listed.ORGANISATIONS: "number"}


def prefix(field: str, text: str) -> dict[str, Any]:
    """Values of ``field`` starting with ``text``: a range an ordinary index answers."""
    return {field: {"$gte": text, "$lt": text + "\U0010ffff"}}


def filtered(listed: Listed, filters: Filters) -> dict[str, Any]:
    """The MongoDB filter of ``filters`` on ``listed`` (a filter it lacks is ignored)."""
    query: dict[str, Any] = {}
    for name, field in _FIELDS[listed].items():
        if (value := getattr(filters, name)) is not None:
            query[field] = value
    if filters.q and listed is not Listed.SERVICES:
        number = _NUMBERS.get(listed)
        by_number = number is not None and NUMBER.match(filters.q) is not None
        query |= prefix(number if by_number and number else "name", filters.q)
    return query


class Page(BaseModel):
    """One page of a list, in id order, and how many match in all."""

    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


def _documents(uow: Uow, listed: Listed) -> Store[Any]:
    found: dict[Listed, Store[Any]] = {
        Listed.VOLUNTEERS: uow.volunteers, Listed.SERVICES: uow.services,
        Listed.TEAMS: uow.teams, Listed.ORGANISATIONS: uow.organisations}
    return found[listed]


async def list_unit(uow: Uow, principal: Principal, listed: Listed, station: str | None,
                    institute: str | None, page: int, page_size: int,
                    filters: Filters | None = None) -> Page:
    """One page of ``listed`` in the asked part of the caller's unit (AccessDenied outside it)."""
    query = principal.scope.narrowed(institute=institute, station=station).match()
    query |= filtered(listed, filters or Filters())
    found, total = await _documents(uow, listed).page(query, (page - 1) * page_size, page_size)
    items = [RosterEntry.of(v).model_dump(mode="json") if listed is Listed.VOLUNTEERS
             else v.model_dump(mode="json") for v in found]
    return Page(items=items, total=total, page=page, page_size=page_size)
