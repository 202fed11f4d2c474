"""Honours (先进典型) on the public good-deeds board (善行义举榜), awarded and revoked.

The holder need not be a registered volunteer. The board shows name, title, level, year,
station and story; events carry the name masked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.volunteers import HonourAwarded, HonourRevoked
from civiloop_contracts.masking import FreeText, mask_name
from civiloop_contracts.values import HonourLevel, HonourTitle, Id, UnitRef
from civiloop_volunteers.domain.errors import Conflict

TITLE_NAMES = {
    HonourTitle.MORAL_MODEL: "道德模范",
    HonourTitle.GOOD_PERSON: "身边好人",
    HonourTitle.VIRTUOUS_YOUTH: "美德少年",
    HonourTitle.FILIAL_YOUTH: "全国孝心少年",
    HonourTitle.CIVILISED_HERDER: "文明农牧民",
    HonourTitle.LEI_FENG: "学雷锋志愿服务四个优秀",
}


class NewHonour(BaseModel):
    """An award as the district admin enters it."""

    title: HonourTitle
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

    def awarded(self) -> HonourAwarded:
        """HonourAwarded, with the holder's name masked."""
        return HonourAwarded(honour_id=self.honour_id, title=self.title, level=self.level,
                             year=self.year, holder_name=mask_name(self.holder_name),
                             volunteer_id=self.volunteer_id, unit=self.unit,
                             citation=self.story)

    def revoke(self, reason: str, now: datetime) -> HonourRevoked:
        """Take the honour off the board, keeping the record and the reason."""
        if self.revoked_at is not None:
            raise Conflict(f"honour {self.honour_id} was revoked already")
        self.revoked_at, self.revoked_reason = now, reason
        return HonourRevoked(honour_id=self.honour_id, reason=reason)

    def on_board(self) -> dict[str, Any]:
        """What the public board shows: name, title, level, year, station and story."""
        return {"honour_id": self.honour_id, "name": self.holder_name,
                "title": self.title.value, "title_name": TITLE_NAMES[self.title],
                "level": self.level.value, "year": self.year,
                "station": self.unit.station or self.unit.institute or self.unit.centre,
                "story": self.story}
