"""The service menu: categories under the five platforms, each with its extra questions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from civiloop_contracts.values import Category as CategoryCode
from civiloop_contracts.values import Platform, ShortText, Specialty
from civiloop_requests.domain.errors import InvalidAnswer, UnknownCategory

QuestionCode = Annotated[str, Field(min_length=2, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]
AnswerValue = int | str | bool
"""What a resident may give to an extra question."""


class QuestionKind(StrEnum):
    """The shape of an answer to an extra question."""

    NUMBER = "number"  # a whole number >= 0, e.g. expected attendees
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"  # one of the question's choices


class Question(BaseModel):
    """An extra question a category asks when it is ordered (e.g. number of attendees)."""

    model_config = ConfigDict(frozen=True)

    code: QuestionCode
    label: ShortText
    kind: QuestionKind
    required: bool = False
    choices: tuple[ShortText, ...] = ()

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> Question:
        if (self.kind is QuestionKind.CHOICE) != bool(self.choices):
            raise ValueError("a choice question needs choices; other kinds take none")
        return self

    def check(self, value: AnswerValue) -> None:
        """Accept ``value`` if it fits this question's kind, else raise InvalidAnswer naming it."""
        if not _fits(self, value):
            raise InvalidAnswer(f"answer to {self.code!r} ({self.label}) must be {self.kind}")


def _fits(question: Question, value: AnswerValue) -> bool:
    # bool is an int in Python: a yes/no must not pass for a number, nor the reverse.
    match question.kind:
        case QuestionKind.NUMBER:
            return isinstance(value, int) and not isinstance(value, bool) and value >= 0
        case QuestionKind.YES_NO:
            return isinstance(value, bool)
        case QuestionKind.TEXT:
            return isinstance(value, str) and bool(value.strip())
        case QuestionKind.CHOICE:
            return isinstance(value, str) and value in question.choices


MAX_ACCEPT_WITHIN = timedelta(days=30)


class Category(BaseModel):
    """One service on the menu: who serves it, for one person or a group, how fast to accept."""

    model_config = ConfigDict(frozen=True)

    code: CategoryCode
    name_zh: ShortText
    name_en: ShortText
    platform: Platform
    specialty: Specialty
    group_activity: bool = Field(description="A group activity (义诊, 讲座, 演出) serves many.")
    # At most the 30 days an OrderPlaced carries (accept_within_min); a longer one broke placing.
    accept_within: timedelta = Field(gt=timedelta(0), le=MAX_ACCEPT_WITHIN,
                                     description="Accept deadline after dispatch (30 days at most).")
    questions: tuple[Question, ...] = ()

    def check_answers(self, answers: Mapping[str, AnswerValue]) -> None:
        """Accept ``answers`` if each required question is answered and every answer fits."""
        known = {q.code: q for q in self.questions}
        for code in answers:
            if code not in known:
                raise InvalidAnswer(f"{self.code} asks no question {code!r}")
        for question in self.questions:
            if question.code in answers:
                question.check(answers[question.code])
            elif question.required:
                raise InvalidAnswer(f"answer to {question.code!r} ({question.label}) is required")


class Catalogue(BaseModel):
    """The whole menu, looked up by category code."""

    model_config = ConfigDict(frozen=True)

    categories: tuple[Category, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Catalogue:
        codes = [c.code for c in self.categories]
        if len(codes) != len(set(codes)):
            raise ValueError("category codes must be unique")
        return self

    def get(self, code: str) -> Category:
        """The category with ``code``, or UnknownCategory naming it."""
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownCategory(f"no category {code!r} on the menu")

    def on_platform(self, platform: Platform) -> list[Category]:
        """The categories of one platform, in menu order."""
        return [c for c in self.categories if c.platform is platform]
