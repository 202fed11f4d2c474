"""Needs surveys (需求调查): publish, answer once per resident, rank, and act on the ranking."""

from __future__ import annotations

from datetime import datetime

from civiloop_contracts.values import UnitRef
from civiloop_requests.app.placing import Announce, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.actor import Actor
from civiloop_requests.domain.errors import DomainError, UnknownSurvey
from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.survey import Survey


async def publish_survey(uow: UnitOfWork, survey_id: str, unit: UnitRef, title: str,
                         categories: list[str], closes_at: datetime | None,
                         announce: Announce) -> Survey:
    """Store a new survey over menu ``categories`` and announce it."""
    survey, published = Survey.publish(survey_id, unit, title, categories,
                                       await uow.menu.catalogue(), closes_at)
    await uow.surveys.add(survey)
    uow.publish(announce(published))
    return survey


async def _survey(uow: UnitOfWork, survey_id: str) -> Survey:
    survey = await uow.surveys.get(survey_id)
    if survey is None:
        raise UnknownSurvey(f"no survey {survey_id!r}")
    return survey


async def answer_survey(uow: UnitOfWork, survey_id: str, response_id: str, resident_id: str,
                        chosen: list[str], text: str | None, at: datetime,
                        announce: Announce) -> Survey:
    """Record one resident's answer; the same response id again changes nothing."""
    survey = await _survey(uow, survey_id)
    if any(r.response_id == response_id for r in survey.responses):
        return survey
    uow.publish(announce(survey.answer(response_id, resident_id, chosen, at, text)))
    await uow.surveys.save(survey)
    return survey


async def order_from_demand(uow: UnitOfWork, survey_id: str, order_id: str, new: NewOrder,
                            at: datetime, announce: Announce, by: Actor) -> Order:
    """A station turns a surveyed demand into one group activity order (station-placed)."""
    survey = await _survey(uow, survey_id)
    if new.category not in survey.categories:
        raise DomainError(f"category {new.category!r} was not on survey {survey_id}")
    if not (await uow.menu.get(new.category)).group_activity:
        raise DomainError(f"category {new.category!r} is not a group activity")
    return await place(uow, order_id, new, at, announce, by=by,
                       note=f"from needs survey {survey_id}")
