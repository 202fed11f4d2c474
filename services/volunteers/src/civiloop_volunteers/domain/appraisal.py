"""Honours by appraisal (评选): nomination → review → public notice (公示) with objections →
awarded or withdrawn.

A unit nominates someone with their deeds; the district reviews; an approved nomination is
shown publicly for the notice period, when anyone may object; the district resolves each
objection (an upheld one withdraws the nomination) and, after the period with none open,
awards it: only then is it an honour on the good-deeds board.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import HonourLevel, Id, UnitRef
from civiloop_volunteers.domain.errors import Conflict, NotFound
from civiloop_volunteers.domain.honours import Honour, Titled, title_name


class Stage(StrEnum):
    """Where a nomination stands."""

    NOMINATED = "nominated"  # waiting for the district's review
    IN_NOTICE = "in_notice"  # 公示: shown publicly, objections open
    AWARDED = "awarded"
    WITHDRAWN = "withdrawn"  # not approved, an objection upheld, or withdrawn by the district


class NewNomination(Titled):
    """A nomination as a station, institute or the district enters it."""

    level: HonourLevel
    year: int = Field(ge=2000, le=2100)
    holder_name: str = Field(min_length=1, max_length=32)
    volunteer_id: Id | None = None
    unit: UnitRef
    deeds: FreeText = Field(min_length=1, max_length=1000, description="事迹: what they did.")


class Objection(BaseModel):
    """An objection raised during the public notice, and how the district resolved it."""

    objection_id: Id
    text: FreeText = Field(min_length=1, max_length=1000)
    raised_by: Id
    raised_at: AwareDatetime
    upheld: bool | None = None
    note: FreeText | None = None


class Nomination(NewNomination):
    """A nomination as stored, with its review, notice, objections and outcome."""

    nomination_id: Id
    nominated_by: Id
    nominated_at: AwareDatetime
    stage: Stage = Stage.NOMINATED
    review_note: FreeText | None = None
    notice_until: AwareDatetime | None = None
    objections: list[Objection] = Field(default_factory=list)
    decided_at: AwareDatetime | None = None
    honour_id: Id | None = None

    def _require(self, *stages: Stage) -> None:
        if self.stage not in stages:
            raise Conflict(f"nomination {self.nomination_id} is {self.stage.value}, "
                           f"not {' or '.join(s.value for s in stages)}")

    def review(self, approve: bool, note: str | None, now: datetime, notice: timedelta) -> None:
        """Approve into the public notice until ``now + notice``, or withdraw."""
        self._require(Stage.NOMINATED)
        self.review_note = note
        if approve:
            self.stage, self.notice_until = Stage.IN_NOTICE, now + notice
        else:
            self.stage, self.decided_at = Stage.WITHDRAWN, now

    def object(self, objection: Objection) -> None:
        """Record an objection; only during the notice period."""
        self._require(Stage.IN_NOTICE)
        if self.notice_until is not None and objection.raised_at > self.notice_until:
            raise Conflict(f"the public notice of nomination {self.nomination_id} has ended")
        self.objections.append(objection)

    def resolve(self, objection_id: str, upheld: bool, note: str | None, now: datetime) -> None:
        """Uphold an objection (the nomination is withdrawn) or dismiss it, with a note."""
        self._require(Stage.IN_NOTICE)
        found = next((o for o in self.objections if o.objection_id == objection_id), None)
        if found is None:
            raise NotFound(f"objection {objection_id} is not on nomination {self.nomination_id}")
        if found.upheld is not None:
            raise Conflict(f"objection {objection_id} was resolved already")
        found.upheld, found.note = upheld, note
        if upheld:
            self.stage, self.decided_at = Stage.WITHDRAWN, now

    def award(self, honour_id: str, by: str, now: datetime) -> Honour:
        """The honour, once the notice has ended with no objection open."""
        self._require(Stage.IN_NOTICE)
        if self.notice_until is not None and now < self.notice_until:
            raise Conflict(f"the public notice of nomination {self.nomination_id} runs until "
                           f"{self.notice_until.isoformat()}")
        if any(o.upheld is None for o in self.objections):
            raise Conflict(f"nomination {self.nomination_id} has objections to resolve first")
        self.stage, self.decided_at, self.honour_id = Stage.AWARDED, now, honour_id
        fields = self.model_dump(include=set(Titled.model_fields) | {
            "level", "year", "holder_name", "volunteer_id", "unit"})
        return Honour(honour_id=honour_id, awarded_by=by, awarded_at=now, story=self.deeds,
                      nomination_id=self.nomination_id, **fields)

    def withdraw(self, now: datetime) -> None:
        """Withdraw before it is awarded."""
        self._require(Stage.NOMINATED, Stage.IN_NOTICE)
        self.stage, self.decided_at = Stage.WITHDRAWN, now

    def notice(self) -> dict[str, Any]:
        """What the public notice shows: name, title, unit, deeds, until when, how to object."""
        return {"nomination_id": self.nomination_id, "name": self.holder_name,
                "title": self.title.value,
                "title_name": title_name(self.title, self.lei_feng_kind, self.district_title),
                "level": self.level.value, "year": self.year,
                "station": self.unit.station or self.unit.institute or self.unit.centre,
                "deeds": self.deeds, "notice_until": self.notice_until,
                "objections": len(self.objections)}
