"""Needs surveys (需求调查问卷): a unit asks residents which services they want, once each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from civiloop_contracts.events.intake import SurveyAnswer
from civiloop_contracts.events.requests import (
    SurveyAnswered,
    SurveyChoice,
    SurveyPublished,
    SurveyQuestion,
)
from civiloop_contracts.masking import contains_mobile
from civiloop_contracts.values import Id, ShortText, UnitRef
from civiloop_requests.domain.catalogue import Catalogue
from civiloop_requests.domain.errors import AlreadyAnswered, InvalidAnswer
from civiloop_requests.domain.ranking import Ranking, rank

WANTED = "wanted_services"
"""The one question every survey asks: which services from the menu do you want?"""
MAX_CHOSEN = 20  # SurveyAnswer carries at most 20 choice ids


class SurveyResponse(BaseModel):
    """One resident's answer: the categories chosen and optional free text."""

    model_config = ConfigDict(frozen=True)

    response_id: Id
    resident_id: Id
    chosen: tuple[str, ...]
    text: str | None = None
    at: AwareDatetime


class Survey(BaseModel):
    """A needs survey of one unit over some menu categories, with the answers received."""

    survey_id: Id
    unit: UnitRef
    title: ShortText
    categories: tuple[str, ...] = Field(min_length=1, max_length=50)
    closes_at: AwareDatetime | None = None
    responses: list[SurveyResponse] = Field(default_factory=list)

    @classmethod
    def publish(cls, survey_id: str, unit: UnitRef, title: str, categories: Sequence[str],
                menu: Catalogue, closes_at: AwareDatetime | None = None,
                ) -> tuple[Survey, SurveyPublished]:
        """A new survey over menu ``categories`` and the SurveyPublished that announces it."""
        if len(set(categories)) != len(categories):
            raise InvalidAnswer("a survey lists each category once")
        choices = [SurveyChoice(choice_id=c.code, label=c.name_zh, platform=c.platform,
                                category=c.code) for c in map(menu.get, categories)]
        survey = cls(survey_id=survey_id, unit=unit, title=title, categories=tuple(categories),
                     closes_at=closes_at)
        question = SurveyQuestion(question_id=WANTED, text="您需要哪些服务？", choices=choices,
                                  multiple=True)
        return survey, SurveyPublished(survey_id=survey_id, unit=unit, title=title,
                                       questions=[question], closes_at=closes_at)

    def answer(self, response_id: str, resident_id: str, chosen: Sequence[str],
               at: AwareDatetime, text: str | None = None) -> SurveyAnswered:
        """Record one resident's answer (once per resident) and the SurveyAnswered it raises."""
        self._check_open(resident_id, at)
        self._check_choices(chosen, text)
        self.responses.append(SurveyResponse(response_id=response_id, resident_id=resident_id,
                                             chosen=tuple(chosen), text=text, at=at))
        answer = SurveyAnswer(question_id=WANTED, choice_ids=list(chosen), text=text)
        return SurveyAnswered(survey_id=self.survey_id, response_id=response_id,
                              unit=self.unit, answers=[answer])

    def ranking(self) -> Ranking:
        """Demand per surveyed category, highest first; unchosen categories count zero."""
        counts: Counter[str] = Counter(dict.fromkeys(self.categories, 0))
        for response in self.responses:
            counts.update(response.chosen)
        return rank(counts, len(self.responses))

    def _check_open(self, resident_id: str, at: AwareDatetime) -> None:
        """Refuse answers after closing and a second answer from the same resident."""
        if self.closes_at is not None and at >= self.closes_at:
            raise InvalidAnswer(f"survey {self.survey_id} closed at {self.closes_at.isoformat()}")
        if any(r.resident_id == resident_id for r in self.responses):
            raise AlreadyAnswered(f"resident {resident_id} already answered {self.survey_id}")

    def _check_choices(self, chosen: Sequence[str], text: str | None) -> None:
        """Refuse empty, repeated, off-survey or too many choices, and phone numbers in text."""
        if not chosen and not (text and text.strip()):
            raise InvalidAnswer("chosen: choose at least one service or write what you need")
        if len(set(chosen)) != len(chosen) or len(chosen) > MAX_CHOSEN:
            raise InvalidAnswer(f"chosen: choose up to {MAX_CHOSEN} different services")
        unknown = [code for code in chosen if code not in self.categories]
        if unknown:
            raise InvalidAnswer(f"chosen: not on this survey: {', '.join(unknown)}")
        if text is not None and (contains_mobile(text) or len(text) > 2000):
            raise InvalidAnswer("text: free text must be under 2000 characters and hold no "
                                "phone number")
