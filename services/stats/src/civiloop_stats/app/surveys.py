"""Needs surveys (需求调查问卷) and their answers, for the demand ranking per station."""

from __future__ import annotations

from civiloop_contracts.events.requests import SurveyAnswered, SurveyPublished
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler, Received
from civiloop_stats.adapters.read_models import moment, place
from civiloop_stats.app.ports import UnitOfWork


async def on_survey_published(event: Received[SurveyPublished], uow: UnitOfWork) -> None:
    """A station opened a survey: remember what each choice asks for."""
    p = event.payload
    choices = {c.choice_id: {"label": c.label, "platform": c.platform.value if c.platform else None,
                             "category": c.category}
               for q in p.questions for c in q.choices}
    await uow.models.entity("surveys", p.survey_id, {"place": place(p.unit), "choices": choices},
                            first={"published_at": event.envelope.time})


async def on_survey_answered(event: Received[SurveyAnswered], uow: UnitOfWork) -> None:
    """A resident answered (once per response id): the choices they picked."""
    p = event.payload
    picked = sorted({c for a in p.answers for c in a.choice_ids})
    await uow.models.entity("survey_answers", p.response_id, {
        "survey_id": p.survey_id, "place": place(p.unit), "choice_ids": picked,
        "at": moment(event.envelope.time)})


SURVEY_HANDLERS: dict[type[Payload], Handler] = {
    SurveyPublished: on_survey_published, SurveyAnswered: on_survey_answered,
}
