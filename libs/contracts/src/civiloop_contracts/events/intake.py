"""What station frontends publish on ``stations.intake.v1``: requests, ratings, survey answers.

A frontend (WeChat group bot, kiosk, web page, station app) holds the resident's personal
data; it publishes only a pseudonymous resident reference and masked contact values.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from civiloop_contracts.masking import FreeText, MaskedContact
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_contracts.values import (
    Audience,
    Category,
    Id,
    Platform,
    RatingTag,
    Role,
    ShortText,
    Stars,
    TimeWindow,
    UnitRef,
    Value,
)


class Channel(StrEnum):
    """The frontend an intake message came through."""

    WECHAT = "wechat"
    KIOSK = "kiosk"
    WEB = "web"
    APP = "app"
    PHONE = "phone"  # typed in by station staff after a call


class SurveyAnswer(Value):
    """One resident's answer to one question: chosen choice ids and optional free text."""

    question_id: Id
    choice_ids: list[Id] = Field(default_factory=list, max_length=20)
    text: FreeText | None = None


AnswerCode = Annotated[str, Field(min_length=2, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]
AnswerText = Annotated[FreeText, Field(max_length=200)]


class OrderRequested(Payload, topic=STATION_INTAKE, version="1.2", key="request_id"):
    """A resident, or a station on residents' behalf, asks for a service (群众点单).

    1.1 adds ``answers``: the category's extra questions (attendees, mobility needs...).
    1.2 adds ``operator_ref``: the station staff member who typed the request in.
    """

    request_id: Id = Field(description="Chosen by the frontend; resending it is idempotent.")
    unit: UnitRef
    platform: Platform
    category: Category
    need: Annotated[FreeText, Field(min_length=1, max_length=1000)]
    place: ShortText
    window: TimeWindow
    audience_size: Audience = 1
    requested_by: Role = Role.RESIDENT
    resident_ref: Id | None = Field(default=None, description="Pseudonymous id at the frontend.")
    contact: MaskedContact | None = None
    channel: Channel
    answers: dict[AnswerCode, bool | int | AnswerText] = Field(
        default_factory=dict, max_length=20,
        description="Answers to the category's extra questions, by question code.")
    operator_ref: Id | None = Field(default=None, description=(
        "Pseudonymous id at the frontend of the station staff member who typed the request "
        "in (requested_by station_operator)."))


class RatingSubmitted(Payload, topic=STATION_INTAKE, version="1.1", key="order_id"):
    """The resident who ordered judges the service (老百姓评单): stars and a comment.

    1.1 adds the tags the resident picked and ``flagged``: the resident asks for the comment
    to be followed up (a complaint), whatever the stars.
    """

    order_id: Id
    stars: Stars
    comment: FreeText | None = None
    resident_ref: Id | None = None
    channel: Channel
    tags: list[RatingTag] = Field(default_factory=list, max_length=10)
    flagged: bool = False


class SurveyAnswerSubmitted(Payload, topic=STATION_INTAKE, key="survey_id"):
    """A resident answers a needs survey (需求调查问卷) at a station frontend."""

    survey_id: Id
    response_id: Id = Field(description="Chosen by the frontend; resending it is idempotent.")
    unit: UnitRef
    answers: list[SurveyAnswer] = Field(min_length=1, max_length=100)
    resident_ref: Id | None = None
    channel: Channel
