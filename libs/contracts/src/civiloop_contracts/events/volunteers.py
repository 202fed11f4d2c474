"""Volunteers, teams, organisations and honours on ``volunteers.events.v1``, keyed by their ids."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

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
)


class VolunteerStatus(StrEnum):
    """Whether a volunteer can be dispatched."""

    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class VolunteerRegistered(Payload, topic=VOLUNTEERS, key="volunteer_id"):
    """A person joins as a registered volunteer (注册志愿者)."""

    volunteer_id: Id
    display_name: MaskedName
    phone: MaskedPhone | None = None
    unit: UnitRef
    platforms: list[Platform] = Field(default_factory=list, max_length=5)
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)
    team_ids: list[Id] = Field(default_factory=list, max_length=20)
    organisation_id: Id | None = None


class VolunteerUpdated(Payload, topic=VOLUNTEERS, key="volunteer_id"):
    """A volunteer's profile changed; only the fields that changed are set."""

    volunteer_id: Id
    unit: UnitRef | None = None
    platforms: list[Platform] | None = Field(default=None, max_length=5)
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    team_ids: list[Id] | None = Field(default=None, max_length=20)
    status: VolunteerStatus | None = None


class TeamRegistered(Payload, topic=VOLUNTEERS, key="team_id"):
    """A volunteer team (志愿服务队) is formed under a specialty and a platform."""

    team_id: Id
    name: ShortText
    specialty: Specialty
    platform: Platform
    unit: UnitRef
    organisation_id: Id | None = None
    leader_id: Id | None = None
    member_ids: list[Id] = Field(default_factory=list, max_length=500)


class TeamUpdated(Payload, topic=VOLUNTEERS, key="team_id"):
    """A team's name, leader, members or activity changed; only changed fields are set."""

    team_id: Id
    name: ShortText | None = None
    leader_id: Id | None = None
    member_ids: list[Id] | None = Field(default=None, max_length=500)
    active: bool | None = None


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
