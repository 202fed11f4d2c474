"""Value types shared by the events: units of the three-level network, platforms, teams, honours."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
"""An aggregate or entity id (order, volunteer, team...): opaque, safe as a Kafka key."""
UnitCode = Annotated[str, Field(min_length=2, max_length=32, pattern=r"^[a-z0-9][a-z0-9-]*$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Category = Annotated[str, Field(min_length=2, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]
"""A service category code inside a platform, e.g. ``free_clinic`` or ``policy_lecture``."""
Stars = Annotated[int, Field(ge=1, le=5)]
Hours = Annotated[float, Field(ge=0, le=24)]
"""Hours of one volunteer on one order: a service never counts more than a day."""
Audience = Annotated[int, Field(ge=1, le=100_000)]
RatingTag = Annotated[str, Field(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
"""A tag a resident picks when rating, e.g. ``on_time``, ``attitude``, ``solved_problem``."""


class Value(BaseModel):
    """Base of nested value objects: immutable, unknown fields ignored (newer minors)."""

    model_config = ConfigDict(frozen=True)


class UnitLevel(StrEnum):
    """The three levels of the 新时代文明实践 network."""

    CENTRE = "centre"  # 中心, one per district
    INSTITUTE = "institute"  # 所, one per town or street
    STATION = "station"  # 站, one per village or community


class UnitRef(Value):
    """Where in the network: centre, then institute, then station codes (deepest set wins)."""

    centre: UnitCode
    institute: UnitCode | None = None
    station: UnitCode | None = None

    @model_validator(mode="after")
    def _station_needs_institute(self) -> UnitRef:
        if self.station is not None and self.institute is None:
            raise ValueError("a station belongs to an institute: set institute too")
        return self

    @property
    def level(self) -> UnitLevel:
        """The level this reference points at."""
        if self.station is not None:
            return UnitLevel.STATION
        return UnitLevel.CENTRE if self.institute is None else UnitLevel.INSTITUTE


class Platform(StrEnum):
    """The five platforms (五大平台) orders and teams belong to."""

    THEORY = "theory"  # 理论宣讲
    EDUCATION = "education"  # 教育服务
    CULTURE = "culture"  # 文化服务
    SCIENCE = "science"  # 科技与科普服务
    FITNESS = "fitness"  # 健身体育服务


class Specialty(StrEnum):
    """The six specialties of volunteer teams."""

    PARTY_MEMBERS = "party_members"  # 党员
    SCIENCE_TECH = "science_tech"  # 科技
    LAW = "law"  # 法律: legal publicity, legal aid
    MEDICINE_HEALTH = "medicine_health"  # 医疗卫生: free clinics, health education
    CULTURE_HERITAGE = "culture_heritage"  # 文明传承: story telling, family traditions
    CULTURE_SPORT = "culture_sport"  # 文体: performances


class Role(StrEnum):
    """Who acts: the people of the loop, or a service itself; the same roles bearer tokens carry."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    TEAM_LEADER = "team_leader"
    STATION_OPERATOR = "station_operator"
    DISPATCHER = "dispatcher"
    DISTRICT_ADMIN = "district_admin"
    SERVICE = "service"


class HonourTitle(StrEnum):
    """Titles of the good-deeds board (先进典型, 善行义举榜)."""

    MORAL_MODEL = "moral_model"  # 道德模范
    GOOD_PERSON = "good_person"  # 身边好人
    VIRTUOUS_YOUTH = "virtuous_youth"  # 美德少年
    FILIAL_YOUTH = "filial_youth"  # 全国孝心少年
    CIVILISED_HERDER = "civilised_herder"  # 文明农牧民
    LEI_FENG = "lei_feng"  # 学雷锋 excellence
    DISTRICT = "district"  # a title the district adds (北疆楷模, 最美人物), named in the event


class HonourLevel(StrEnum):
    """Who conferred an honour."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    DISTRICT = "district"


class TimeWindow(Value):
    """A span of time with an aware start and a later end."""

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> TimeWindow:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self
