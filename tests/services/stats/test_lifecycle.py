"""An order's life in the figures is the life requests recorded, whatever else was reported.

The handlers run on the in-memory read models (the production update documents); the
figures come from stats' own domain. Each case is what the topics carry: requests'
timeline lines (OrderStepRecorded) beside the reports of dispatch, volunteers and feedback,
some of which requests ignored.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from civiloop_contracts.events.dispatch import AssignMode, OrderDispatched
from civiloop_contracts.events.feedback import FeedbackGiven
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import (
    CancelReason,
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderStatus,
    OrderStep,
    OrderStepRecorded,
)
from civiloop_contracts.events.service import OrderAccepted, ServiceCompleted, VolunteerHours
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitLevel, UnitRef
from civiloop_platform.messages import Received
from civiloop_stats.domain.facts import Snapshot
from civiloop_stats.domain.figures import Figures, summarise
from civiloop_stats.domain.lifecycle import Line, life
from civiloop_stats.domain.scope import Scope
from tests.services.stats.memory import MemoryUnitOfWork, apply_all

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
UNIT = UnitRef(centre="kunqu", institute="kunhe", station="wanhe-yangguang")
Event = Received[Payload]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def received(payload: Payload, when: datetime, source: str = "civiloop/requests") -> Event:
    return Received(payload, make_event(payload, source=source, time=when))


def placed(order_id: str, minute: float) -> Event:
    return received(OrderPlaced(
        order_id=order_id, unit=UNIT, platform=Platform.EDUCATION, category="legal_aid",
        need="演示工单", place="3号楼", channel=Channel.WEB,
        window=TimeWindow(start=at(1440), end=at(1560))), at(minute))


def timeline(order_id: str, *lines: tuple[float, str, str] | tuple[float, str, str, str]
             ) -> list[Event]:
    """requests' OrderStepRecorded for each (minute, step, status[, outcome]), seq in order."""
    return [received(OrderStepRecorded(
        order_id=order_id, seq=seq, step=OrderStep(line[1]), status=OrderStatus(line[2]),
        outcome=CloseOutcome(line[3]) if len(line) > 3 else None, actor=Role.SERVICE),
        at(line[0])) for seq, line in enumerate(lines)]


def dispatched(order_id: str, minute: float, attempt: int = 1) -> Event:
    return received(OrderDispatched(
        order_id=order_id, assignment_id=f"{order_id}-a{attempt}", mode=AssignMode.DIRECTIVE,
        level=UnitLevel.STATION, dispatching_unit=UNIT, volunteer_ids=["v1"],
        accept_deadline=at(600), score=0.8, attempt=attempt), at(minute), "civiloop/dispatch")


def accepted(order_id: str, minute: float, attempt: int = 1) -> Event:
    return received(OrderAccepted(order_id=order_id, assignment_id=f"{order_id}-a{attempt}",
                                  accepted_by="v1", volunteer_ids=["v1"]), at(minute),
                    "civiloop/volunteers")


def completed(order_id: str, minute: float, people: int, attempt: int = 1) -> Event:
    return received(ServiceCompleted(
        order_id=order_id, assignment_id=f"{order_id}-a{attempt}", people_served=people,
        hours=[VolunteerHours(volunteer_id="v1", hours=1.0)]), at(minute), "civiloop/volunteers")


def rated(order_id: str, minute: float, stars: int) -> Event:
    return received(FeedbackGiven(order_id=order_id, feedback_id=f"fb-{order_id}-{minute}",
                                  stars=stars), at(minute), "civiloop/feedback")


async def figures_after(events: list[Event]) -> Figures:
    uow = MemoryUnitOfWork()
    await apply_all(uow, events)
    scope = Scope(level=UnitLevel.CENTRE, code="kunqu", as_of=at(10_000))
    return summarise(Snapshot(orders=uow.models.orders()), scope, population=None)


def cancelled_then_dispatched() -> list[Event]:
    """The demo: the resident cancels at once; dispatch, which had not yet read the cancel,
    dispatches a moment later, and requests ignores that step as impossible."""
    return [placed("o-c", 0), *timeline("o-c", (0, "place", "placed"),
                                        (0.05, "cancel", "cancelled", "cancelled")),
            received(OrderCancelled(order_id="o-c", reason=CancelReason.WITHDRAWN,
                                    cancelled_by=Role.RESIDENT), at(0.05)),
            received(OrderClosed(order_id="o-c", outcome=CloseOutcome.CANCELLED), at(0.05)),
            dispatched("o-c", 0.07)]


async def test_a_dispatch_after_the_cancel_does_not_count_the_cancelled_order_dispatched() -> None:
    shown = await figures_after(cancelled_then_dispatched())
    assert (shown["orders_placed"], shown["orders_cancelled"]) == (1, 1)
    assert shown["orders_dispatched"] == 0
    assert shown["dispatch_median_min"] is None


def the_loop_out_of_order() -> list[Event]:
    """Four orders whose reports crossed on the way, in the order it all happened."""
    return [
        # A rating overtook the accept and the completion: requests took it from dispatched.
        placed("o-r", 0), *timeline("o-r", (0, "place", "placed"), (2, "dispatch", "dispatched"),
                                    (30, "rate", "rated"), (30, "close", "closed", "rated")),
        dispatched("o-r", 2), rated("o-r", 30, 5), accepted("o-r", 10), completed("o-r", 20, 3),
        # Declined and redispatched; the check-in, sent late by a kiosk, bears an early time.
        placed("o-d", 0), *timeline(
            "o-d", (0, "place", "placed"), (4, "dispatch", "dispatched"),
            (5, "decline", "declined"), (8, "dispatch", "dispatched"),
            (12, "accept", "accepted"), (-30, "start_service", "in_service"),
            (60, "complete", "completed"), (2000, "close", "closed", "unrated")),
        dispatched("o-d", 4), dispatched("o-d", 8, attempt=2), accepted("o-d", 12, attempt=2),
        completed("o-d", 60, 1, attempt=2),
        *cancelled_then_dispatched(),
        # Rated low, reopened by a follow-up, served again and left unrated.
        placed("o-f", 0), *timeline(
            "o-f", (0, "place", "placed"), (1, "dispatch", "dispatched"),
            (3, "accept", "accepted"), (40, "complete", "completed"), (50, "rate", "rated"),
            (50, "close", "closed", "rated"), (300, "reopen", "placed"),
            (301, "dispatch", "dispatched"), (303, "accept", "accepted"),
            (340, "complete", "completed"), (3000, "close", "closed", "unrated")),
        dispatched("o-f", 1), accepted("o-f", 3), completed("o-f", 40, 2), rated("o-f", 50, 1),
        dispatched("o-f", 301, attempt=2), accepted("o-f", 303, attempt=2),
        completed("o-f", 340, 2, attempt=2),
    ]


async def test_every_figure_is_requests_timeline_whatever_crossed_on_the_way() -> None:
    shown = await figures_after(the_loop_out_of_order())
    assert {k: shown[k] for k in ("orders_placed", "orders_dispatched", "orders_accepted",
                                  "orders_completed", "orders_rated", "orders_closed_unrated",
                                  "orders_cancelled", "people_served")} == {
        "orders_placed": 4, "orders_dispatched": 3, "orders_accepted": 3,
        "orders_completed": 3, "orders_rated": 2, "orders_closed_unrated": 2,
        "orders_cancelled": 1, "people_served": 8}
    # The rating says when o-r was accepted and completed (30 min); o-d's accept is its
    # accept line (12 min), not the earlier-dated check-in recorded after it.
    assert (shown["accept_median_min"], shown["complete_median_min"]) == (12.0, 40.0)
    assert shown["dispatch_median_min"] == 2.0
    assert shown["average_stars"] == 3.0  # o-r 5 and o-f 1: feedback's stars


async def test_any_arrival_order_and_any_repeat_give_the_same_figures() -> None:
    events = the_loop_out_of_order()
    expected = await figures_after(events)
    shuffler = random.Random(13)
    for _ in range(25):
        mixed = events + shuffler.sample(events, 8)  # redelivered ones too
        shuffler.shuffle(mixed)
        assert await figures_after(mixed) == expected
    assert await figures_after(list(reversed(events))) == expected


def test_a_milestone_is_the_first_recorded_line_that_shows_it() -> None:
    lines = [Line(2, "start_service", "in_service", at(-30)), Line(0, "place", "placed", at(0)),
             Line(1, "accept", "accepted", at(5)), Line(3, "close", "closed", at(90), "unrated")]
    told = life(lines)
    assert told.placed_at == at(0)
    assert told.reached == {"dispatched": at(5), "accepted": at(5), "completed": at(90)}
    assert [(c.at, c.value) for c in told.closes] == [(at(90), "unrated")]
    assert life([*lines, *lines]) == told
