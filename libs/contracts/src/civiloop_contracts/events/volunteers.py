"""Volunteers, teams, organisations and honours on ``volunteers.events.v1``, keyed by their ids."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from civiloop_contracts.masking import FreeText, MaskedName, MaskedPhone
from civiloop_contracts.payload import REGISTRY, Payload
from civiloop_contracts.topics import VOLUNTEERS
from civiloop_contracts.values import (
    HonourLevel,
    HonourTitle,
    Id,
    Platform,
    ShortText,
    Specialty,
    UnitCode,
    UnitRef,
    Value,
)

Skill = Annotated[str, Field(min_length=1, max_length=48, examples=["first_aid", "急救"])]
"""A skill or certificate a volunteer brings, as a short tag (matched against orders)."""
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class WeeklySlot(Value):
    """Hours a volunteer is usually free on one weekday (1 = Monday ... 7 = Sunday)."""

    weekday: int = Field(ge=1, le=7)
    start: str = Field(pattern=_CLOCK, examples=["09:00"])
    end: str = Field(pattern=_CLOCK, examples=["12:00"])

    @model_validator(mode="after")
    def _ends_after_start(self) -> WeeklySlot:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


MaxLoad = Field(default=None, ge=1, le=50,
                description="Orders served at once at most; unset: dispatch's default.")


class VolunteerStatus(StrEnum):
    """Whether a volunteer can be dispatched."""

    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class VolunteerRegistered(Payload, topic=VOLUNTEERS, version="1.1", key="volunteer_id"):
    """A person joins as a registered volunteer (注册志愿者).

    1.1 adds skills, availability, stations covered, service radius, status and load cap.
    """

    volunteer_id: Id
    display_name: MaskedName
    phone: MaskedPhone | None = None
    unit: UnitRef
    platforms: list[Platform] = Field(default_factory=list, max_length=5)
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)
    team_ids: list[Id] = Field(default_factory=list, max_length=20)
    organisation_id: Id | None = None
    # 1.1: what dispatch matches on, so it need not ask this service.
    skills: list[Skill] | None = Field(default=None, max_length=30)
    availability: list[WeeklySlot] | None = Field(default=None, max_length=21)
    stations_covered: list[UnitCode] | None = Field(
        default=None, max_length=50, description="Stations served besides the home station.")
    service_radius_km: float | None = Field(default=None, ge=0, le=500)
    status: VolunteerStatus | None = Field(default=None, description="None means active.")
    max_load: int | None = MaxLoad


class VolunteerUpdated(Payload, topic=VOLUNTEERS, version="1.1", key="volunteer_id"):
    """A volunteer's profile changed; only the fields that changed are set.

    1.1 adds skills, availability, stations covered, service radius, star level, load cap.
    """

    volunteer_id: Id
    unit: UnitRef | None = None
    platforms: list[Platform] | None = Field(default=None, max_length=5)
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    team_ids: list[Id] | None = Field(default=None, max_length=20)
    status: VolunteerStatus | None = None
    skills: list[Skill] | None = Field(default=None, max_length=30)
    availability: list[WeeklySlot] | None = Field(default=None, max_length=21)
    stations_covered: list[UnitCode] | None = Field(default=None, max_length=50)
    service_radius_km: float | None = Field(default=None, ge=0, le=500)
    star_level: int | None = Field(default=None, ge=0, le=5,
                                   description="Stars from approved hours (星级志愿者).")
    max_load: int | None = MaxLoad


class TeamRegistered(Payload, topic=VOLUNTEERS, version="1.1", key="team_id"):
    """A volunteer team (志愿服务队) is formed under a specialty and a platform.

    1.1 adds the stations the team serves besides its own unit's, availability, load cap.
    """

    team_id: Id
    name: ShortText
    specialty: Specialty
    platform: Platform
    unit: UnitRef
    organisation_id: Id | None = None
    leader_id: Id | None = None
    member_ids: list[Id] = Field(default_factory=list, max_length=500)
    stations_covered: list[UnitCode] | None = Field(default=None, max_length=50)
    availability: list[WeeklySlot] | None = Field(default=None, max_length=21)
    max_load: int | None = MaxLoad


class TeamUpdated(Payload, topic=VOLUNTEERS, version="1.1", key="team_id"):
    """A team's name, leader, members or activity changed; only changed fields are set.

    1.1 adds the stations the team serves, availability and load cap.
    """

    team_id: Id
    name: ShortText | None = None
    leader_id: Id | None = None
    member_ids: list[Id] | None = Field(default=None, max_length=500)
    active: bool | None = None
    stations_covered: list[UnitCode] | None = Field(default=None, max_length=50)
    availability: list[WeeklySlot] | None = Field(default=None, max_length=21)
    max_load: int | None = MaxLoad


class OrganisationRegistered(Payload, topic=VOLUNTEERS, key="organisation_id"):
    """A volunteer organisation (志愿服务组织) is registered in the district."""

    organisation_id: Id
    name: ShortText
    unit: UnitRef
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)


class OrganisationUpdated(Payload, topic=VOLUNTEERS, key="organisation_id"):
    """An organisation's name, specialties or member count changed, or it was dissolved.

    Only changed fields are set; ``active`` false means dissolved (注销), for good.
    """

    organisation_id: Id
    name: ShortText | None = None
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    members: int | None = Field(default=None, ge=0, description="Registered members now.")
    active: bool | None = None


class LeiFengKind(StrEnum):
    """The four kinds of 学雷锋志愿服务"四个优秀"."""

    VOLUNTEER = "volunteer"  # 最美志愿者
    ORGANISATION = "organisation"  # 最佳志愿服务组织
    PROJECT = "project"  # 最佳志愿服务项目
    COMMUNITY = "community"  # 最美志愿服务社区


class HonourAwarded(Payload, topic=VOLUNTEERS, version="2.0", key="honour_id"):
    """Someone is named on the good-deeds board (善行义举榜) with a title and level.

    2.0 adds the title ``district`` (a title the district adds, named in ``district_title``,
    e.g. 北疆楷模) and the kind of a 学雷锋"四个优秀" honour; a 1.x event reads as it was.
    """

    honour_id: Id
    title: HonourTitle
    level: HonourLevel
    year: int = Field(ge=2000, le=2100)
    holder_name: MaskedName
    volunteer_id: Id | None = Field(default=None, description="Set when the holder volunteers.")
    unit: UnitRef
    citation: FreeText | None = None
    lei_feng_kind: LeiFengKind | None = None
    district_title: ShortText | None = Field(
        default=None, description="The district's own title when ``title`` is district.")

    @model_validator(mode="after")
    def _district_title_names_the_district_title(self) -> HonourAwarded:
        if (self.title is HonourTitle.DISTRICT) != (self.district_title is not None):
            raise ValueError("district_title is set when title is district, and only then")
        return self


@REGISTRY.upcaster(HonourAwarded, 1)
def _honour_awarded_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 knew only the six titles, without kinds: its data is valid v2 data as it is."""
    return dict(data)


class HonourRevoked(Payload, topic=VOLUNTEERS, key="honour_id"):
    """An honour is withdrawn from the board."""

    honour_id: Id
    reason: FreeText = Field(min_length=1, max_length=500)
