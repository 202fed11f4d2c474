"""The registered volunteer (注册志愿者): real-name record, what they offer, and their events.

The record holds name, ID number and phone because this service owns them; the events it
raises carry the id, a masked name, the unit, skills and availability only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field, field_validator, model_validator

from civiloop_contracts.events.volunteers import (
    Skill,
    VolunteerRegistered,
    VolunteerStatus,
    VolunteerUpdated,
    WeeklySlot,
)
from civiloop_contracts.masking import mask_id_number, mask_name, mask_phone
from civiloop_contracts.values import Id, Platform, Specialty, UnitCode, UnitRef
from civiloop_volunteers.domain.identity import IdType, id_key, normalise_id_number

Name = Annotated[str, Field(min_length=1, max_length=32)]
VolunteerNumber = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{4,32}$")]
"""The number the national volunteer service system gave the person (志愿者编号)."""


class Gender(StrEnum):
    """As on the ID document."""

    MALE = "male"
    FEMALE = "female"


class PoliticalStatus(StrEnum):
    """Political status (政治面貌); party members serve in party-member teams."""

    PARTY_MEMBER = "party_member"  # 中共党员
    PROBATIONARY_MEMBER = "probationary_member"  # 预备党员
    LEAGUE_MEMBER = "league_member"  # 共青团员
    DEMOCRATIC_PARTY = "democratic_party"  # 民主党派
    MASSES = "masses"  # 群众


class Profile(BaseModel):
    """What a volunteer offers and where: the part they may edit themselves."""

    phone: str
    skills: list[Skill] = Field(default_factory=list, max_length=30)
    certificates: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=20)
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)
    platforms: list[Platform] = Field(default_factory=list, max_length=5)
    stations_covered: list[UnitCode] = Field(default_factory=list, max_length=50)
    service_radius_km: float | None = Field(default=None, ge=0, le=500)
    availability: list[WeeklySlot] = Field(default_factory=list, max_length=21)
    political_status: PoliticalStatus | None = None

    @field_validator("phone")
    @classmethod
    def _mobile(cls, value: str) -> str:
        mask_phone(value)  # raises ValueError naming the problem
        return "".join(ch for ch in value if ch.isdigit())[-11:]


class NewVolunteer(Profile):
    """A registration as a station (or an import row) submits it."""

    name: Name
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str
    volunteer_number: VolunteerNumber | None = None
    gender: Gender | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    unit: UnitRef = Field(description="The home station (or institute) of the volunteer.")
    organisation_id: Id | None = None

    @model_validator(mode="after")
    def _valid_document(self) -> NewVolunteer:
        self.id_number = normalise_id_number(self.id_type, self.id_number)
        return self


class Volunteer(NewVolunteer):
    """A registered volunteer as stored."""

    volunteer_id: Id
    status: VolunteerStatus = VolunteerStatus.ACTIVE
    registered_at: AwareDatetime
    star_level: int = 0

    @property
    def id_key(self) -> str:
        """The dedup key of the person's ID document."""
        return id_key(self.id_type, self.id_number)

    def public(self) -> dict[str, Any]:
        """The record as shown over HTTP: the ID number masked, everything else as is."""
        return {**self.model_dump(mode="json"),
                "id_number": mask_id_number(self.id_number) if self.id_type is IdType.RESIDENT_ID
                else self.id_number[:2] + "***" + self.id_number[-2:]}


def register(volunteer_id: str, new: NewVolunteer, at: datetime,
             team_ids: list[str] | None = None) -> tuple[Volunteer, VolunteerRegistered]:
    """The volunteer, and the event that announces them without phone or ID number."""
    volunteer = Volunteer(volunteer_id=volunteer_id, registered_at=at, **new.model_dump())
    return volunteer, registered_event(volunteer, team_ids or [])


def registered_event(v: Volunteer, team_ids: list[str]) -> VolunteerRegistered:
    """VolunteerRegistered for ``v``: ids, unit, skills and availability, never personal data."""
    return VolunteerRegistered(
        volunteer_id=v.volunteer_id, display_name=mask_name(v.name), unit=v.unit,
        platforms=v.platforms, specialties=v.specialties, team_ids=team_ids,
        organisation_id=v.organisation_id, skills=v.skills, availability=v.availability,
        stations_covered=v.stations_covered, service_radius_km=v.service_radius_km,
        status=v.status)


class Changes(BaseModel):
    """An edit of a volunteer: only the fields given change."""

    phone: str | None = None
    skills: list[Skill] | None = Field(default=None, max_length=30)
    certificates: list[Annotated[str, Field(max_length=64)]] | None = None
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    platforms: list[Platform] | None = Field(default=None, max_length=5)
    stations_covered: list[UnitCode] | None = Field(default=None, max_length=50)
    service_radius_km: float | None = Field(default=None, ge=0, le=500)
    availability: list[WeeklySlot] | None = Field(default=None, max_length=21)
    political_status: PoliticalStatus | None = None
    status: VolunteerStatus | None = None
    unit: UnitRef | None = None


# What other services may know of a change; phone, certificates and politics stay here.
_PUBLIC = ("unit", "platforms", "specialties", "status", "skills", "availability",
           "stations_covered", "service_radius_km")


def change(volunteer: Volunteer, changes: Changes) -> tuple[Volunteer, VolunteerUpdated | None]:
    """The edited volunteer, and VolunteerUpdated with the public fields that changed (if any)."""
    given = changes.model_dump(exclude_none=True)
    updated = Volunteer.model_validate({**volunteer.model_dump(), **given})
    moved = {f: getattr(updated, f) for f in _PUBLIC
             if f in given and getattr(updated, f) != getattr(volunteer, f)}
    if not moved:
        return updated, None
    return updated, VolunteerUpdated(volunteer_id=volunteer.volunteer_id, **moved)
