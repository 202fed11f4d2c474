"""The menu: every platform served, codes valid, and extra answers checked by question."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from civiloop_contracts.values import Platform, Specialty
from civiloop_requests.domain.catalogue import AnswerValue, Category
from civiloop_requests.domain.errors import InvalidAnswer, UnknownCategory
from civiloop_requests.domain.menu import DEFAULT_MENU


def test_the_default_menu_covers_every_platform_and_specialty() -> None:
    assert all(DEFAULT_MENU.on_platform(p) for p in Platform)
    assert {c.specialty for c in DEFAULT_MENU.categories} == set(Specialty)


def test_group_activities_ask_for_attendees_and_individual_ones_are_faster() -> None:
    clinic, home = DEFAULT_MENU.get("free_clinic"), DEFAULT_MENU.get("home_health_check")
    assert clinic.group_activity
    assert not home.group_activity
    assert clinic.questions[0].code == "attendees"
    assert clinic.questions[0].required
    assert home.accept_within < clinic.accept_within


def test_an_unknown_code_is_named() -> None:
    with pytest.raises(UnknownCategory, match="karaoke"):
        DEFAULT_MENU.get("karaoke")


@pytest.mark.parametrize(("answers", "named"), [
    ({}, "attendees"),
    ({"attendees": "many"}, "attendees"),
    ({"attendees": True}, "attendees"),
    ({"attendees": -3}, "attendees"),
    ({"attendees": 40, "mobility_needs": "yes"}, "mobility_needs"),
    ({"attendees": 40, "parking": True}, "parking"),
])
def test_bad_answers_are_refused_naming_the_question(answers: dict[str, AnswerValue],
                                                      named: str) -> None:
    with pytest.raises(InvalidAnswer, match=named):
        DEFAULT_MENU.get("free_clinic").check_answers(answers)


def test_good_answers_pass_and_choices_are_checked() -> None:
    DEFAULT_MENU.get("free_clinic").check_answers({"attendees": 40, "mobility_needs": False})
    legal = DEFAULT_MENU.get("legal_aid")
    legal.check_answers({"topic": "labour"})
    with pytest.raises(InvalidAnswer, match="topic"):
        legal.check_answers({"topic": "divorce party"})


@pytest.mark.parametrize("days", [0, 31, 10**8])
def test_an_accept_deadline_beyond_what_orders_carry_is_refused(days: int) -> None:
    clinic = DEFAULT_MENU.get("free_clinic").model_dump()
    with pytest.raises(ValidationError, match="accept_within"):
        Category(**{**clinic, "accept_within": timedelta(days=days)})


def test_an_accept_deadline_of_thirty_days_is_taken() -> None:
    clinic = DEFAULT_MENU.get("free_clinic").model_dump()
    assert Category(**{**clinic, "accept_within": timedelta(days=30)}).accept_within.days == 30
