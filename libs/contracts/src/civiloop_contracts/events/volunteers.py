"""Volunteers, teams, organisations and honours on ``volunteers.events.v1``, keyed by their ids."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from civiloop_contracts.masking import FreeText, MaskedName, MaskedPhone
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import VOLUNTEERS
from civiloop_contracts.values import (
    HonourLevel,
    HonourTitle,
    Id,
    Platform,
    ShortText,
    Specialty,
    UnitRef,
    Value,
)


class VolunteerStatus(StrEnum):
    """Whether a volunteer can be dispatched."""

    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class WeeklySlot(Value):
    """Hours of one weekday (0 = Monday) someone is free to serve, in the district's local time."""

    weekday: int = Field(ge=0, le=6)
    start_hour: int = Field(ge=0, le=23)
    end_hour: int = Field(ge=1, le=24)

    @model_validator(mode="after")
    def _ends_after_start(self) -> WeeklySlot:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        return self


Covers = Field(default=None, max_length=50,
               description="Stations or institutes served beyond the home unit.")
Availability = Field(default=None, max_length=28,
                     description="Weekly hours free to serve; empty means any time.")
MaxLoad = Field(default=None, ge=1, le=50,
                description="Orders served at once at most; unset: dispatch's default.")


class VolunteerRegistered(Payload, topic=VOLUNTEERS, version="1.1", key="volunteer_id"):
    """A person joins as a registered volunteer (注册志愿者).

    1.1 adds what dispatch matches on: units covered, weekly availability, load cap.
    """

    volunteer_id: Id
    display_name: MaskedName
    phone: MaskedPhone | None = None
    unit: UnitRef
    platforms: list[Platform] = Field(default_factory=list, max_length=5)
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)
    team_ids: list[Id] = Field(default_factory=list, max_length=20)
    organisation_id: Id | None = None
    covers: list[UnitRef] | None = Covers
    availability: list[WeeklySlot] | None = Availability
    max_load: int | None = MaxLoad


class VolunteerUpdated(Payload, topic=VOLUNTEERS, version="1.1", key="volunteer_id"):
    """A volunteer's profile changed; only the fields that changed are set (1.1: as Registered)."""

    volunteer_id: Id
    unit: UnitRef | None = None
    platforms: list[Platform] | None = Field(default=None, max_length=5)
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    team_ids: list[Id] | None = Field(default=None, max_length=20)
    status: VolunteerStatus | None = None
    covers: list[UnitRef] | None = Covers
    availability: list[WeeklySlot] | None = Availability
    max_load: int | None = MaxLoad


class TeamRegistered(Payload, topic=VOLUNTEERS, version="1.1", key="team_id"):
    """A volunteer team (志愿服务队) is formed under a specialty and a platform.

    1.1 adds what dispatch matches on: units covered, weekly availability, load cap.
    """

    team_id: Id
    name: ShortText
    specialty: Specialty
    platform: Platform
    unit: UnitRef
    organisation_id: Id | None = None
    leader_id: Id | None = None
    member_ids: list[Id] = Field(default_factory=list, max_length=500)
    covers: list[UnitRef] | None = Covers
    availability: list[WeeklySlot] | None = Availability
    max_load: int | None = MaxLoad


class TeamUpdated(Payload, topic=VOLUNTEERS, version="1.1", key="team_id"):
    """A team's name, leader, members or activity changed; only changed fields are set."""

    team_id: Id
    name: ShortText | None = None
    leader_id: Id | None = None
    member_ids: list[Id] | None = Field(default=None, max_length=500)
    active: bool | None = None
    covers: list[UnitRef] | None = Covers
    availability: list[WeeklySlot] | None = Availability
    max_load: int | None = MaxLoad


class OrganisationRegistered(Payload, topic=VOLUNTEERS, key="organisation_id"):
    """A volunteer organisation (志愿服务组织) is registered in the district."""

    organisation_id: Id
    name: ShortText
    unit: UnitRef
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)


class HonourAwarded(Payload, topic=VOLUNTEERS, key="honour_id"):
    """Someone is named on the good-deeds board (善行义举榜) with a title and level."""

    honour_id: Id
    title: HonourTitle
    level: HonourLevel
    year: int = Field(ge=2000, le=2100)
    holder_name: MaskedName
    volunteer_id: Id | None = Field(default=None, description="Set when the holder volunteers.")
    unit: UnitRef
    citation: FreeText | None = None


class HonourRevoked(Payload, topic=VOLUNTEERS, key="honour_id"):
    """An honour is withdrawn from the board."""

    honour_id: Id
    reason: FreeText = Field(min_length=1, max_length=500)
