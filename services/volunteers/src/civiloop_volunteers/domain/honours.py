"""Honours (先进典型) on the public good-deeds board (善行义举榜), awarded and revoked.

The holder need not be a registered volunteer. The board shows name, title, level, year,
station and story; events carry the name masked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from civiloop_contracts.events.volunteers import HonourAwarded, HonourRevoked, LeiFengKind
from civiloop_contracts.masking import FreeText, mask_name
from civiloop_contracts.values import HonourLevel, HonourTitle, Id, ShortText, UnitRef
from civiloop_volunteers.domain.errors import Conflict, Invalid

TITLE_NAMES = {
    HonourTitle.MORAL_MODEL: "道德模范",
    HonourTitle.GOOD_PERSON: "身边好人",
    HonourTitle.VIRTUOUS_YOUTH: "美德少年",
    HonourTitle.FILIAL_YOUTH: "全国孝心少年",
    HonourTitle.CIVILISED_HERDER: "文明农牧民",
    HonourTitle.LEI_FENG: "学雷锋志愿服务四个优秀",
}
LEI_FENG_KINDS = {
    LeiFengKind.VOLUNTEER: "最美志愿者",
    LeiFengKind.ORGANISATION: "最佳志愿服务组织",
    LeiFengKind.PROJECT: "最佳志愿服务项目",
    LeiFengKind.COMMUNITY: "最美志愿服务社区",
}


class Titled(BaseModel):
    """What a title is: one of the six, its 学雷锋 kind, or a title the district adds."""

    title: HonourTitle
    lei_feng_kind: LeiFengKind | None = None
    district_title: ShortText | None = None

    @model_validator(mode="after")
    def _kind_goes_with_lei_feng(self) -> Titled:
        if (self.title is HonourTitle.LEI_FENG) != (self.lei_feng_kind is not None):
            raise ValueError("lei_feng_kind is set for the lei_feng title, and only for it")
        if (self.title is HonourTitle.DISTRICT) != (self.district_title is not None):
            raise ValueError("district_title is set for the district title, and only for it")
        return self


def require_title(titled: Titled, district_titles: tuple[str, ...]) -> None:
    """Invalid unless a district title is one the district configured."""
    if titled.title is HonourTitle.DISTRICT and titled.district_title not in district_titles:
        raise Invalid(f"district_title must be one of the district's titles: "
                      f"{', '.join(district_titles) or 'none configured'}")


def title_name(title: HonourTitle, kind: LeiFengKind | None, district_title: str | None) -> str:
    """The title as the board shows it, e.g. 学雷锋志愿服务四个优秀·最美志愿者 or 北疆楷模."""
    if title is HonourTitle.DISTRICT:
        return district_title or ""
    return TITLE_NAMES[title] + (f"·{LEI_FENG_KINDS[kind]}" if kind else "")


class NewHonour(Titled):
    """An award as the district admin enters it (one conferred elsewhere, or an appraisal's)."""

    level: HonourLevel
    year: int = Field(ge=2000, le=2100)
    holder_name: str = Field(min_length=1, max_length=32)
    volunteer_id: Id | None = None
    unit: UnitRef
    story: FreeText | None = Field(default=None, max_length=1000)


class Honour(NewHonour):
    """An honour as stored; revoked ones stay, off the board."""

    honour_id: Id
    awarded_by: Id
    awarded_at: AwareDatetime
    revoked_at: AwareDatetime | None = None
    revoked_reason: str | None = None
    nomination_id: Id | None = None

    def awarded(self) -> HonourAwarded:
        """HonourAwarded, with the holder's name masked."""
        return HonourAwarded(honour_id=self.honour_id, title=self.title, level=self.level,
                             year=self.year, holder_name=mask_name(self.holder_name),
                             volunteer_id=self.volunteer_id, unit=self.unit,
                             citation=self.story, lei_feng_kind=self.lei_feng_kind,
                             district_title=self.district_title)

    def revoke(self, reason: str, now: datetime) -> HonourRevoked:
        """Take the honour off the board, keeping the record and the reason."""
        if self.revoked_at is not None:
            raise Conflict(f"honour {self.honour_id} was revoked already")
        self.revoked_at, self.revoked_reason = now, reason
        return HonourRevoked(honour_id=self.honour_id, reason=reason)

    def on_board(self) -> dict[str, Any]:
        """What the public board shows: name, title, level, year, station and story."""
        return {"honour_id": self.honour_id, "name": self.holder_name,
                "title": self.title.value,
                "title_name": title_name(self.title, self.lei_feng_kind, self.district_title),
                "level": self.level.value, "year": self.year,
                "station": self.unit.station or self.unit.institute or self.unit.centre,
                "story": self.story}
