"""The volunteers handlers and answer use cases on in-memory repositories: what each stores
and publishes (the same code runs on MongoDB in the integration tests)."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.dispatch import AssignMode, OrderWithdrawn, WithdrawCause
from civiloop_contracts.events.requests import CancelReason, OrderCancelled
from civiloop_contracts.events.service import DeclineReason
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_platform.testing import feed, published
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.app import answers
from civiloop_volunteers.app.dispatched import on_cancelled, on_dispatched, on_withdrawn
from civiloop_volunteers.app.ports import UnitOfWork
from civiloop_volunteers.domain.errors import Conflict, Forbidden, NotFound
from tests.services.volunteers.builders import dispatched
from tests.services.volunteers.fakes import FakeVolunteersUnitOfWork


def volunteer(subject: str) -> Principal:
    return Principal(subject=subject, role=Role.VOLUNTEER)


async def offered(uow: FakeVolunteersUnitOfWork, *volunteers: str,
                  mode: AssignMode = AssignMode.DIRECTIVE) -> str:
    """An order offered to ``volunteers``; its assignment id."""
    event = dispatched("ord-1", volunteers=list(volunteers), mode=mode)
    await feed(uow, on_dispatched, event)
    return event.assignment_id


async def test_an_offer_is_kept_once_however_often_it_is_announced() -> None:
    uow = FakeVolunteersUnitOfWork()
    event = dispatched("ord-1", volunteers=["v1"])
    await feed(uow, on_dispatched, event)
    await feed(uow, on_dispatched, event)
    assert list(uow.offers.stored) == [event.assignment_id]
    assert published(uow) == []


async def test_an_accept_starts_the_service_and_announces_it() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1")
    offer = await uow.run(lambda u: answers.accept(u, volunteer("v1"), assignment,
                                                   answers.Answer()))
    assert [a.party.volunteer_id for a in offer.accepted] == ["v1"]
    assert uow.services.stored[assignment].volunteer_ids == ["v1"]
    assert published(uow) == ["OrderAccepted"]


async def test_in_grab_mode_the_first_accept_wins() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1", "v2", mode=AssignMode.GRAB)
    await uow.run(lambda u: answers.accept(u, volunteer("v1"), assignment, answers.Answer()))
    with pytest.raises(Conflict, match="was taken by volunteer v1 first"):
        await uow.run(lambda u: answers.accept(u, volunteer("v2"), assignment,
                                               answers.Answer()))
    assert published(uow) == ["OrderAccepted"]


async def test_a_decline_is_announced_with_its_reason() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1")
    await uow.run(lambda u: answers.decline(u, volunteer("v1"), assignment, answers.Decline(
        reason=DeclineReason.UNAVAILABLE)))
    assert published(uow) == ["OrderDeclined"]
    assert uow.committed[0].data["reason"] == "unavailable"


async def test_answers_are_refused_by_kind() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1")
    with pytest.raises(NotFound):
        await uow.run(lambda u: answers.accept(u, volunteer("v1"), "nope", answers.Answer()))
    with pytest.raises(Forbidden):
        await uow.run(lambda u: answers.accept(u, volunteer("v9"), assignment,
                                               answers.Answer()))
    outsider = Principal(subject="op", role=Role.STATION_OPERATOR, station="elsewhere",
                         institute="i", centre="c")
    with pytest.raises(Forbidden, match="outside this caller's unit"):
        await uow.run(lambda u: answers.accept(u, outsider, assignment,
                                               answers.Answer(volunteer_id="v1")))
    assert published(uow) == []


async def test_a_withdrawn_offer_can_no_longer_be_accepted() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1")
    await feed(uow, on_withdrawn, OrderWithdrawn(
        order_id="ord-1", assignment_id=assignment, cause=WithdrawCause.TAKEN_BACK,
        volunteer_ids=["v1"]))
    with pytest.raises(Conflict):
        await uow.run(lambda u: answers.accept(u, volunteer("v1"), assignment,
                                               answers.Answer()))


async def test_a_cancelled_order_withdraws_even_an_accepted_offer() -> None:
    uow = FakeVolunteersUnitOfWork()
    assignment = await offered(uow, "v1")
    await uow.run(lambda u: answers.accept(u, volunteer("v1"), assignment, answers.Answer()))
    await feed(uow, on_cancelled, OrderCancelled(
        order_id="ord-1", reason=CancelReason.OTHER, cancelled_by=Role.STATION_OPERATOR))
    assert uow.offers.stored[assignment].withdrawn_reason() == "cancelled (other)"


def test_the_mongo_unit_of_work_provides_what_the_use_cases_need() -> None:
    provided: type[UnitOfWork] = VolunteersUnitOfWork  # mypy --strict checks the protocol
    assert provided is VolunteersUnitOfWork
