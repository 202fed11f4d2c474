"""Who acted, step by step: every timeline line names its actor's id, a resident's masked."""

from __future__ import annotations

from civiloop_contracts.events.dispatch import (
    EscalationCause,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    RedispatchCause,
    WithdrawCause,
)
from civiloop_contracts.events.feedback import (
    FeedbackGiven,
    FollowUpResolution,
    FollowUpResolved,
    RatingLapsed,
)
from civiloop_contracts.events.requests import CancelReason
from civiloop_contracts.events.service import (
    DeclineReason,
    OrderAccepted,
    OrderDeclined,
    ServiceCheckedIn,
    ServiceCompleted,
    VolunteerHours,
)
from civiloop_contracts.masking import mask_ref
from civiloop_contracts.values import Role, UnitLevel
from civiloop_requests.domain.actor import Actor
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Step
from civiloop_requests.entrypoints.views import TimelineView
from tests.services.requests.builders import at, placed, unit
from tests.services.requests.test_loop_handlers import (
    FakeRequestsUnitOfWork,
    _assignment,
    _served_and_rated,
    _stored,
    dispatched,
    feed,
)

RESIDENT = "res-000123"
SHOWN = "re******23"  # mask_ref(RESIDENT)


def who(order: Order) -> list[tuple[Step, Role, str | None]]:
    return [(e.step, e.actor, e.actor_id) for e in order.timeline]


def completed(by: str | None) -> ServiceCompleted:
    return ServiceCompleted(order_id="ord-1", people_served=3, completed_by=by, hours=[
        VolunteerHours(volunteer_id="vol-2", hours=1.0),
        VolunteerHours(volunteer_id="vol-3", hours=1.0)])


def completed_of(order_id: str) -> ServiceCompleted:
    return ServiceCompleted(order_id=order_id, people_served=1, completed_by="vol-1",
                            hours=[VolunteerHours(volunteer_id="vol-1", hours=1.0)])


async def test_every_step_of_the_loop_names_who_took_it() -> None:
    uow = FakeRequestsUnitOfWork(placed(resident=RESIDENT))
    await feed(uow, dispatched(), 1)
    await feed(uow, OrderDeclined(order_id="ord-1", assignment_id="as-1", declined_by="vol-1",
                                  reason=DeclineReason.TOO_FAR), 2)
    await feed(uow, OrderRedispatched(
        **_assignment(assignment_id="as-2", attempt=2, dispatched_by=Role.DISPATCHER,
                      dispatcher_id="disp-7"), cause=RedispatchCause.DECLINED), 3)
    await feed(uow, OrderAccepted(order_id="ord-1", assignment_id="as-2", accepted_by="lead-1",
                                  team_id="team-9", volunteer_ids=["vol-2", "vol-3"]), 4)
    await feed(uow, ServiceCheckedIn(order_id="ord-1", volunteer_id="vol-3"), 5)
    await feed(uow, completed("lead-1"), 6)
    await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=5), 7)
    assert who(_stored(uow)) == [
        (Step.PLACE, Role.RESIDENT, SHOWN),
        (Step.DISPATCH, Role.SERVICE, "matcher"),
        (Step.DECLINE, Role.VOLUNTEER, "vol-1"),
        (Step.DISPATCH, Role.DISPATCHER, "disp-7"),
        (Step.ACCEPT, Role.VOLUNTEER, "lead-1"),
        (Step.START_SERVICE, Role.VOLUNTEER, "vol-3"),
        (Step.COMPLETE, Role.VOLUNTEER, "lead-1"),
        (Step.RATE, Role.RESIDENT, SHOWN),
        (Step.CLOSE, Role.SERVICE, "requests")]
    assert RESIDENT not in _stored(uow).model_dump_json(include={"timeline"})


async def test_a_rating_typed_in_at_the_station_names_the_operator() -> None:
    uow = FakeRequestsUnitOfWork(placed(resident=RESIDENT))
    for minute, payload in enumerate([dispatched(), completed("vol-2")], start=1):
        await feed(uow, payload, minute)
    await feed(uow, FeedbackGiven(order_id="ord-1", feedback_id="fb-1", stars=4,
                                  recorded_by=Role.STATION_OPERATOR, recorder_id="op-3"), 5)
    assert who(_stored(uow))[-2:] == [(Step.RATE, Role.STATION_OPERATOR, "op-3"),
                                      (Step.CLOSE, Role.SERVICE, "requests")]


async def test_steps_no_person_took_name_the_service_that_took_them() -> None:
    uow = FakeRequestsUnitOfWork(placed(), placed("ord-2"))
    await feed(uow, dispatched(), 1)
    await feed(uow, OrderWithdrawn(order_id="ord-1", assignment_id="as-1",
                                   cause=WithdrawCause.EXPIRED), 2)
    await feed(uow, OrderEscalated(order_id="ord-1", from_level=UnitLevel.STATION,
                                   to_level=UnitLevel.INSTITUTE, to_unit=unit(),
                                   cause=EscalationCause.EXPIRED), 3)
    await feed(uow, OrderUnassignable(order_id="ord-1", level=UnitLevel.CENTRE, attempts=3), 4)
    assert [(e.actor, e.actor_id) for e in _stored(uow).timeline[2:]] == [
        (Role.SERVICE, "dispatch")] * 3
    for minute, payload in enumerate([dispatched(order_id="ord-2"), completed_of("ord-2")], 1):
        await feed(uow, payload, minute)
    await feed(uow, RatingLapsed(order_id="ord-2", rate_by=at(60)), 60)
    assert who(_stored(uow, "ord-2"))[-1] == (Step.CLOSE, Role.SERVICE, "feedback")


async def test_a_reopen_names_who_resolved_the_follow_up() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await _served_and_rated(uow)
    await feed(uow, FollowUpResolved(order_id="ord-1", follow_up_id="fu-1", resolved_by="op-5",
                                     resolution=FollowUpResolution.REOPEN, note="志愿者没来"), 30)
    assert who(_stored(uow))[-1] == (Step.REOPEN, Role.STATION_OPERATOR, "op-5")


async def test_an_event_from_before_actors_were_carried_leaves_the_id_unknown() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(dispatched_by=Role.DISPATCHER), 1)
    await feed(uow, completed(None), 2)
    assert who(_stored(uow))[1:] == [(Step.DISPATCH, Role.DISPATCHER, None),
                                     (Step.COMPLETE, Role.VOLUNTEER, None)]


def test_an_order_a_station_placed_names_the_operator_not_the_resident() -> None:
    order = placed(resident=None, by=Actor(role=Role.STATION_OPERATOR, id="op-1"))
    assert who(order) == [(Step.PLACE, Role.STATION_OPERATOR, "op-1")]


def test_a_cancel_names_the_resident_masked_or_the_operator() -> None:
    own = placed(resident=RESIDENT)
    own.cancel(CancelReason.WITHDRAWN, at(1), Actor(role=Role.RESIDENT, id=RESIDENT))
    assert who(own)[-1] == (Step.CANCEL, Role.RESIDENT, SHOWN)
    station = placed(resident=RESIDENT)
    station.cancel(CancelReason.WITHDRAWN, at(1), Actor(role=Role.STATION_OPERATOR, id="op-2"))
    assert who(station)[-1] == (Step.CANCEL, Role.STATION_OPERATOR, "op-2")


def test_the_timeline_view_shows_each_actor() -> None:
    order = placed(resident=RESIDENT)
    view = TimelineView(order_id=order.order_id, status=order.status, steps=order.timeline)
    [step] = view.model_dump(mode="json")["steps"]
    assert (step["actor"], step["actor_id"]) == ("resident", mask_ref(RESIDENT))
    schema = TimelineView.model_json_schema()
    assert "actor_id" in schema["$defs"]["TimelineEntry"]["properties"]
