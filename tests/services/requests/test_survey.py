"""Needs surveys: one answer per resident, and demand ranked per category and rolled up."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.requests import SurveyAnswered
from civiloop_requests.domain.errors import AlreadyAnswered, InvalidAnswer, UnknownCategory
from civiloop_requests.domain.menu import DEFAULT_MENU
from civiloop_requests.domain.ranking import Demand, roll_up
from civiloop_requests.domain.survey import WANTED, Survey
from tests.services.requests.builders import at, unit

CATEGORIES = ["free_clinic", "legal_aid", "cultural_performance", "fitness_guidance"]


def _survey(station: str = "wanhe-sunshine") -> Survey:
    survey, _ = Survey.publish("sv-1", unit(station), "2025年居民需求调查", CATEGORIES,
                               DEFAULT_MENU, closes_at=at(60 * 24 * 30))
    return survey


def test_publishing_offers_the_menu_categories_as_choices() -> None:
    _, event = Survey.publish("sv-1", unit(), "需求调查", CATEGORIES, DEFAULT_MENU)
    [question] = event.questions
    assert question.multiple
    assert [c.choice_id for c in question.choices] == CATEGORIES
    assert question.choices[0].label == "义诊"
    with pytest.raises(UnknownCategory):
        Survey.publish("sv-2", unit(), "需求调查", ["karaoke"], DEFAULT_MENU)


def test_ranking_orders_by_count_then_code_with_shares_of_respondents() -> None:
    survey = _survey()
    answers = [["free_clinic", "legal_aid"], ["free_clinic"], ["legal_aid", "free_clinic"],
               ["fitness_guidance"], ["legal_aid"]]
    for n, chosen in enumerate(answers):
        survey.answer(f"resp-{n}", f"res-{n}", chosen, at(n))
    ranking = survey.ranking()
    assert ranking.respondents == 5
    assert ranking.demands == (
        Demand(category="free_clinic", count=3, share=0.6),
        Demand(category="legal_aid", count=3, share=0.6),
        Demand(category="fitness_guidance", count=1, share=0.2),
        Demand(category="cultural_performance", count=0, share=0.0),
    )


def test_a_resident_answers_once() -> None:
    survey = _survey()
    event = survey.answer("resp-1", "res-1", ["free_clinic"], at(1), text="希望多办义诊")
    assert isinstance(event, SurveyAnswered)
    assert event.answers[0].question_id == WANTED
    assert event.answers[0].choice_ids == ["free_clinic"]
    with pytest.raises(AlreadyAnswered, match="res-1"):
        survey.answer("resp-2", "res-1", ["legal_aid"], at(2))
    assert len(survey.responses) == 1


@pytest.mark.parametrize(("chosen", "text", "why"), [
    ([], None, "at least one"),
    (["karaoke"], None, "karaoke"),
    (["free_clinic", "free_clinic"], None, "different"),
    (["free_clinic"], "请打13812345678", "phone"),
])
def test_bad_answers_are_refused(chosen: list[str], text: str | None, why: str) -> None:
    with pytest.raises(InvalidAnswer, match=why):
        _survey().answer("resp-1", "res-1", chosen, at(1), text=text)


def test_answers_after_closing_are_refused() -> None:
    with pytest.raises(InvalidAnswer, match="closed"):
        _survey().answer("resp-1", "res-1", ["free_clinic"], at(60 * 24 * 31))


def test_rankings_roll_up_over_stations() -> None:
    east, west = _survey("kunhe-east"), _survey("kunhe-west")
    east.answer("r1", "res-1", ["legal_aid"], at(1))
    east.answer("r2", "res-2", ["legal_aid", "free_clinic"], at(2))
    west.answer("r3", "res-3", ["free_clinic"], at(3))
    west.answer("r4", "res-4", ["fitness_guidance"], at(4))
    total = roll_up([east.ranking(), west.ranking()])
    assert total.respondents == 4
    assert [(d.category, d.count, d.share) for d in total.demands] == [
        ("free_clinic", 2, 0.5), ("legal_aid", 2, 0.5), ("fitness_guidance", 1, 0.25),
        ("cultural_performance", 0, 0.0)]
