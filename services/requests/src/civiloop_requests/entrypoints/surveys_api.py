"""HTTP routes for needs surveys (需求调查): publish, answer, rank, and order from demand."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.values import Audience, Role, ShortText, TimeWindow, UnitRef
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.placing import new_order_id
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.surveys import answer_survey, order_from_demand, publish_survey
from civiloop_requests.domain.catalogue import AnswerValue
from civiloop_requests.domain.errors import DomainError, UnknownSurvey
from civiloop_requests.domain.new_order import Need, NewOrder, Requester
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.ranking import Ranking, roll_up
from civiloop_requests.domain.survey import Survey
from civiloop_requests.entrypoints.deps import Cases, acting
from civiloop_requests.entrypoints.views import (
    UNIT_EXAMPLE,
    WINDOW_EXAMPLE,
    OrderView,
    SurveyView,
)

router = APIRouter(prefix="/surveys", tags=["surveys"])
Publisher = Annotated[Principal, Depends(policy("surveys.publish"))]
Reader = Annotated[Principal, Depends(policy("surveys.read"))]
Resident = Annotated[Principal, Depends(policy("surveys.answer"))]
Ranker = Annotated[Principal, Depends(policy("surveys.rank"))]
RollUp = Annotated[Principal, Depends(policy("surveys.rollup"))]
Orderer = Annotated[Principal, Depends(policy("surveys.order"))]


class PublishSurvey(BaseModel):
    """A survey of one unit over some menu categories."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "unit": UNIT_EXAMPLE, "title": "2026年居民服务需求调查",
        "categories": ["free_clinic", "legal_aid", "cultural_performance", "policy_lecture"],
        "closes_at": "2026-12-31T00:00:00+08:00"}]})

    unit: UnitRef
    title: ShortText
    categories: list[str] = Field(min_length=1, max_length=50)
    closes_at: datetime | None = None


class AnswerSurvey(BaseModel):
    """A resident's answer: the services wanted, and optional free text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"chosen": ["free_clinic", "legal_aid"], "text": "希望每月有一次义诊"}]})

    chosen: list[str] = Field(default_factory=list, max_length=20)
    text: Annotated[str, Field(max_length=2000)] | None = None


class Answered(BaseModel):
    """The id of the stored answer."""

    survey_id: str
    response_id: str


class OrderFromDemand(BaseModel):
    """Turn a surveyed demand into a group activity; unset fields come from the survey."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"place": "万和阳光社区文化广场", "window": WINDOW_EXAMPLE}]})

    category: str | None = Field(default=None, description="Default: the top group activity.")
    need: Need | None = None
    place: ShortText
    window: TimeWindow
    audience_size: Audience | None = Field(default=None, description="Default: its demand.")
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=20)


async def _survey(cases: Cases, survey_id: str) -> Survey:
    async def work(uow: UnitOfWork) -> Survey:
        survey = await uow.surveys.get(survey_id)
        if survey is None:
            raise UnknownSurvey(f"no survey {survey_id!r}")
        return survey
    return await cases.run(work)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SurveyView,
             summary="Publish a needs survey")
async def publish(body: PublishSurvey, caller: Publisher, cases: Cases) -> SurveyView:
    """A station (or institute, or the centre) asks its residents what they need."""
    caller.scope.require(body.unit, "the survey")
    survey_id = f"svy-{uuid.uuid4().hex[:16]}"

    async def work(uow: UnitOfWork) -> Survey:
        return await publish_survey(uow, survey_id, body.unit, body.title, body.categories,
                                    body.closes_at, cases.announce)
    return SurveyView.of(await cases.run(work))


@router.get("/ranking", response_model=Ranking, summary="Demand rolled up over surveys")
async def rolled_up(caller: RollUp, cases: Cases, station: str | None = None,
                    institute: str | None = None) -> Ranking:
    """Demand per category over every survey of a station, an institute, or the district."""
    units = caller.scope.narrowed(institute=institute, station=station)

    async def work(uow: UnitOfWork) -> list[Survey]:
        return await uow.surveys.of_units(units)
    return roll_up(s.ranking() for s in await cases.run(work))


@router.get("/{survey_id}", response_model=SurveyView, summary="One survey")
async def get_survey(survey_id: str, _: Reader, cases: Cases) -> SurveyView:
    """The survey's unit, title, categories and number of respondents."""
    return SurveyView.of(await _survey(cases, survey_id))


@router.post("/{survey_id}/answers", status_code=status.HTTP_201_CREATED,
             response_model=Answered, summary="Answer a survey (once per resident)",
             responses={409: {"description": "This resident answered already"}})
async def answer(survey_id: str, body: AnswerSurvey, caller: Resident,
                 cases: Cases) -> Answered:
    """The resident's answer; a second answer from the same resident is refused."""
    response_id = f"rsp-{uuid.uuid4().hex[:16]}"

    async def work(uow: UnitOfWork) -> Survey:
        return await answer_survey(uow, survey_id, response_id, caller.subject, body.chosen,
                                   body.text, utcnow(), cases.announce)
    await cases.run(work)
    return Answered(survey_id=survey_id, response_id=response_id)


@router.get("/{survey_id}/ranking", response_model=Ranking, summary="A survey's demand ranking")
async def ranking(survey_id: str, caller: Ranker, cases: Cases) -> Ranking:
    """Demand per category, highest first; shares are of respondents."""
    survey = await _survey(cases, survey_id)
    caller.scope.require(survey.unit, f"survey {survey_id}")
    return survey.ranking()


@router.post("/{survey_id}/orders", status_code=status.HTTP_201_CREATED,
             response_model=OrderView, summary="Order a group activity from the top demand")
async def order_from_top_demand(survey_id: str, body: OrderFromDemand, caller: Orderer,
                                cases: Cases) -> OrderView:
    """One call: the top (or chosen) group activity of the survey becomes a station order."""
    survey = await _survey(cases, survey_id)
    caller.scope.require(survey.unit, f"survey {survey_id}")
    if survey.unit.station is None:
        raise DomainError("unit: a group activity is ordered at a station's survey")
    order_id = new_order_id()

    async def work(uow: UnitOfWork) -> Order:
        new = await _demand_order(uow, survey, body)
        return await order_from_demand(uow, survey_id, order_id, new, utcnow(), cases.announce,
                                       acting(caller))
    return OrderView.of(await cases.run(work), caller)


async def _demand_order(uow: UnitOfWork, survey: Survey, body: OrderFromDemand) -> NewOrder:
    """The station's order for the chosen, or the most wanted, group activity."""
    demands = {d.category: d.count for d in survey.ranking().demands}
    menu = await uow.menu.catalogue()
    groups = [c for c in survey.ranking().demands
              if c.count > 0 and menu.get(c.category).group_activity]
    code = body.category or (groups[0].category if groups else None)
    if code is None:
        raise DomainError("category: no group activity on this survey has any demand yet")
    category, count = menu.get(code), demands.get(code, 0)
    audience = body.audience_size or max(count, 1)
    need = body.need or f"需求调查“{survey.title}”：{count} 位居民希望开展{category.name_zh}"
    return NewOrder(unit=survey.unit, category=code, need=need, place=body.place,
                    window=body.window, audience_size=audience,
                    answers={"attendees": audience, **body.answers},
                    requester=Requester(role=Role.STATION_OPERATOR), channel=Channel.WEB)
