"""Dispatch's handlers and console commands on in-memory repositories: what each one stores
and publishes (the same handlers run on MongoDB in the integration tests)."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.requests import CancelReason, OrderCancelled
from civiloop_contracts.events.service import DeclineReason, OrderAccepted, OrderDeclined
from civiloop_contracts.values import Role, UnitLevel
from civiloop_dispatch.app import console
from civiloop_dispatch.app.answers import on_order_accepted, on_order_declined
from civiloop_dispatch.app.orders import on_order_cancelled, on_order_placed
from civiloop_dispatch.app.registry import on_volunteer_registered
from civiloop_dispatch.domain.candidates import Kind, candidate_key
from civiloop_dispatch.domain.case import CaseStatus
from civiloop_dispatch.domain.errors import NotDispatchable, NotFound
from civiloop_platform.testing import feed, published
from tests.services.dispatch.builders import District, order, volunteer
from tests.services.dispatch.fakes import FakeDispatchUnitOfWork


@pytest.fixture
def d() -> District:
    return District.new()


async def placed_with_a(d: District) -> FakeDispatchUnitOfWork:
    """A unit of work where volunteer a is registered and order ``ord`` was offered to a."""
    uow = FakeDispatchUnitOfWork()
    await feed(uow, on_volunteer_registered, volunteer(d.id("a"), d.station()))
    await feed(uow, on_order_placed, order(d.id("ord"), d.station()))
    return uow


async def test_a_placed_order_is_offered_to_the_fit_volunteer_with_the_event_caused_by_it(
        d: District) -> None:
    uow = FakeDispatchUnitOfWork()
    await feed(uow, on_volunteer_registered, volunteer(d.id("a"), d.station()))
    placed = await feed(uow, on_order_placed, order(d.id("ord"), d.station()))
    case = uow.cases.stored[d.id("ord")]
    assert case.status is CaseStatus.OFFERED
    assert case.offer is not None
    assert case.offer.assignees == [d.id("a")]
    assert published(uow) == ["OrderDispatched"]
    [dispatched] = uow.committed
    assert (dispatched.correlationid, dispatched.causationid) == (placed.correlationid, placed.id)


async def test_a_republished_order_changes_nothing(d: District) -> None:
    uow = await placed_with_a(d)
    before = (uow.cases.stored[d.id("ord")], len(uow.committed))
    await feed(uow, on_order_placed, order(d.id("ord"), d.station()))
    assert (uow.cases.stored[d.id("ord")], len(uow.committed)) == before


async def test_an_order_nobody_can_serve_climbs_to_the_centre_and_waits_unassignable(
        d: District) -> None:
    uow = FakeDispatchUnitOfWork()
    await feed(uow, on_order_placed, order(d.id("ord"), d.station()))
    assert uow.cases.stored[d.id("ord")].status is CaseStatus.UNASSIGNABLE
    assert published(uow) == ["OrderEscalated", "OrderEscalated", "OrderUnassignable"]


def offered(uow: FakeDispatchUnitOfWork, d: District) -> str:
    """The assignment id of the offer in force of order ``ord``."""
    offer = uow.cases.stored[d.id("ord")].offer
    assert offer is not None
    return offer.assignment_id


async def test_an_accept_wins_the_order_and_counts_the_load(d: District) -> None:
    uow = await placed_with_a(d)
    await feed(uow, on_order_accepted, OrderAccepted(
        order_id=d.id("ord"), assignment_id=offered(uow, d), accepted_by=d.id("a"),
        volunteer_ids=[d.id("a")]))
    assert uow.cases.stored[d.id("ord")].status is CaseStatus.ACCEPTED
    key = candidate_key(Kind.VOLUNTEER, d.id("a"))
    assert uow.candidates.stored[key].load == 1
    assert (d.id("ord"), key) in uow.work.lines


async def test_a_decline_with_nobody_else_climbs_to_the_centre(d: District) -> None:
    uow = await placed_with_a(d)
    await feed(uow, on_order_declined, OrderDeclined(
        order_id=d.id("ord"), assignment_id=offered(uow, d), declined_by=d.id("a"),
        reason=DeclineReason.UNAVAILABLE))
    key = candidate_key(Kind.VOLUNTEER, d.id("a"))
    assert uow.candidates.stored[key].declines == 1
    assert published(uow)[1:] == ["OrderEscalated", "OrderEscalated", "OrderUnassignable"]
    assert uow.cases.stored[d.id("ord")].level is UnitLevel.CENTRE


async def test_a_cancelled_order_is_withdrawn_from_its_assignee(d: District) -> None:
    uow = await placed_with_a(d)
    await feed(uow, on_order_cancelled, OrderCancelled(
        order_id=d.id("ord"), reason=CancelReason.OTHER, cancelled_by=Role.STATION_OPERATOR))
    assert uow.cases.stored[d.id("ord")].status is CaseStatus.CANCELLED
    assert published(uow)[-1] == "OrderWithdrawn"


async def test_a_dispatcher_takes_an_order_back_to_the_queue(d: District) -> None:
    uow = await placed_with_a(d)
    case = await uow.run(lambda u: console.take_back(u, d.id("ord"), "wrong team"))
    assert (case.status, case.offer) == (CaseStatus.WAITING, None)
    assert uow.cases.stored[d.id("ord")].status is CaseStatus.WAITING
    assert published(uow)[-1] == "OrderWithdrawn"


async def test_manual_dispatch_refuses_an_unknown_order_or_candidate_and_a_closed_case(
        d: District) -> None:
    uow = await placed_with_a(d)
    key = candidate_key(Kind.VOLUNTEER, d.id("a"))
    with pytest.raises(NotFound, match="not known to dispatch"):
        await uow.run(lambda u: console.dispatch_manually(u, "nope", key, "why", Role.DISPATCHER))
    with pytest.raises(NotFound, match="not in the matching view"):
        await uow.run(lambda u: console.dispatch_manually(
            u, d.id("ord"), candidate_key(Kind.VOLUNTEER, "nobody"), "why", Role.DISPATCHER))
    await feed(uow, on_order_cancelled, OrderCancelled(
        order_id=d.id("ord"), reason=CancelReason.OTHER, cancelled_by=Role.STATION_OPERATOR))
    with pytest.raises(NotDispatchable, match="is cancelled: cannot dispatch"):
        await uow.run(lambda u: console.dispatch_manually(u, d.id("ord"), key, "why",
                                                           Role.DISPATCHER))
