"""Rating an order on fakes: only after completion, only the resident (or station), once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civiloop_contracts.events.feedback import FeedbackChanged, FeedbackGiven, FollowUpOpened
from civiloop_contracts.values import Role
from civiloop_feedback.app.emit import after_request
from civiloop_feedback.app.ratings import change_rating, rate_order
from civiloop_feedback.domain.errors import (
    AlreadyRated,
    InvalidInput,
    NoRating,
    NotCompleted,
    NotYours,
    RatingWindowClosed,
    UnknownOrder,
)
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement, Rating, Tag, parse_tags
from tests.services.feedback.builders import (
    at,
    feed,
    operator,
    order_placed,
    resident,
    service_completed,
    volunteer,
)
from tests.services.feedback.fakes import FakeFeedbackUnitOfWork

WINDOW = timedelta(hours=48)


async def served(order_id: str = "ord-1", **placed: object) -> FakeFeedbackUnitOfWork:
    uow = FakeFeedbackUnitOfWork()
    await feed(uow, order_placed(order_id, **placed), 0)  # type: ignore[arg-type]
    await feed(uow, service_completed(order_id), 60)
    return uow


async def rate(uow: FakeFeedbackUnitOfWork, judgement: Judgement, rater: Rater | None = None,
               minutes: float = 120, order_id: str = "ord-1") -> Rating:
    now = at(minutes)
    return await uow.run(lambda u: rate_order(u, order_id, judgement, rater or resident(), now,
                                              after_request("corr-1", now)))


async def change(uow: FakeFeedbackUnitOfWork, judgement: Judgement, minutes: float,
                 rater: Rater | None = None) -> Rating:
    now = at(minutes)
    return await uow.run(lambda u: change_rating(u, "ord-1", judgement, rater or resident(),
                                                 now, WINDOW, after_request("corr-1", now)))


async def test_a_completed_order_is_rated_by_its_resident_and_announced() -> None:
    uow = await served()
    rating = await rate(uow, Judgement(stars=5, tags=[Tag.ON_TIME], comment="医生很耐心"))
    assert rating.recorded_by is Role.RESIDENT
    assert rating.volunteer_ids == ["vol-1"]
    assert uow.orders.stored["ord-1"].rated is True
    [given] = uow.committed
    assert given.type == FeedbackGiven.event_type()
    assert given.correlationid == "corr-1"
    assert given.data["stars"] == 5
    assert given.data["tags"] == ["on_time"]
    assert given.data["unit"]["station"] == "wanhe-sunshine"
    assert given.data["team_id"] == "team-med"
    assert given.data["recorder_id"] is None  # the resident who ordered: requests knows them
    assert uow.outcomes.stored["ord-1:1"].stars == 5


async def test_station_staff_record_a_verbal_rating_marked_as_such() -> None:
    uow = await served(resident_id=None)
    rating = await rate(uow, Judgement(stars=4), operator())
    assert rating.recorded_by is Role.STATION_OPERATOR
    assert uow.committed[0].data["recorded_by"] == "station_operator"
    assert uow.committed[0].data["recorder_id"] == "op-1"


@pytest.mark.parametrize(("rater", "refusal"), [
    (resident("res-2"), NotYours), (operator("other-station"), NotYours),
    (volunteer(), NotYours)])
async def test_someone_else_may_not_rate(rater: Rater, refusal: type[Exception]) -> None:
    uow = await served()
    with pytest.raises(refusal):
        await rate(uow, Judgement(stars=5), rater)
    assert uow.committed == []


async def test_an_order_is_rated_only_after_completion_and_only_once() -> None:
    uow = FakeFeedbackUnitOfWork()
    with pytest.raises(UnknownOrder):
        await rate(uow, Judgement(stars=5))
    await feed(uow, order_placed(), 0)
    with pytest.raises(NotCompleted):
        await rate(uow, Judgement(stars=5))
    await feed(uow, service_completed(), 60)
    await rate(uow, Judgement(stars=5))
    with pytest.raises(AlreadyRated):
        await rate(uow, Judgement(stars=3))
    assert [e.type for e in uow.committed] == [FeedbackGiven.event_type()]


async def test_a_cancelled_order_is_not_rated() -> None:
    from civiloop_contracts.events.requests import CancelReason, OrderCancelled
    uow = await served()
    await feed(uow, OrderCancelled(order_id="ord-1", reason=CancelReason.WITHDRAWN,
                                   cancelled_by=Role.RESIDENT), 90)
    with pytest.raises(NotCompleted):
        await rate(uow, Judgement(stars=5))


async def test_a_change_within_the_window_is_kept_as_history() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=5, comment="很好"), minutes=120)
    rating = await change(uow, Judgement(stars=3, comment="血压计没拿回来"), 120 + 60 * 24)
    assert [(r.revision, r.judgement.stars) for r in rating.revisions] == [(1, 5), (2, 3)]
    assert rating.current.comment == "血压计没拿回来"
    changed = uow.committed[-1]
    assert changed.type == FeedbackChanged.event_type()
    assert (changed.data["stars"], changed.data["previous_stars"], changed.data["revision"]) \
        == (3, 5, 2)
    assert uow.outcomes.stored["ord-1:1"].stars == 3
    assert uow.outcomes.stored["ord-1:1"].at == at(120)  # counted when first rated


async def test_the_same_judgement_again_changes_nothing() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=5))
    rating = await change(uow, Judgement(stars=5), 130)
    assert len(rating.revisions) == 1
    assert len(uow.committed) == 1


async def test_a_change_after_the_window_or_by_another_is_refused() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=5), minutes=120)
    with pytest.raises(RatingWindowClosed):
        await change(uow, Judgement(stars=1), 120 + 60 * 49)
    with pytest.raises(NotYours):
        await change(uow, Judgement(stars=1), 130, resident("res-2"))
    assert len(uow.ratings.stored) == 1
    assert len(next(iter(uow.ratings.stored.values())).revisions) == 1


async def test_staff_change_only_what_staff_recorded() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=5))
    with pytest.raises(NotYours, match="resident's own"):
        await change(uow, Judgement(stars=1), 130, operator())
    verbal = await served(resident_id=None)
    await rate(verbal, Judgement(stars=3), operator())
    rating = await change(verbal, Judgement(stars=4), 130, operator())
    assert [r.by for r in rating.revisions] == [Role.STATION_OPERATOR, Role.STATION_OPERATOR]


async def test_changing_an_unrated_order_is_refused() -> None:
    uow = await served()
    with pytest.raises(NoRating):
        await change(uow, Judgement(stars=1), 130)


async def test_a_low_rating_opens_one_follow_up_and_a_change_down_opens_one_too() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=2))
    opened = [e for e in uow.committed if e.type == FollowUpOpened.event_type()]
    assert [(e.data["cause"], e.data["stars"]) for e in opened] == [("low_rating", 2)]
    await change(uow, Judgement(stars=1), 130)  # still open: no second follow-up
    assert len(uow.follow_ups.stored) == 1
    uow2 = await served()
    await rate(uow2, Judgement(stars=5))
    await change(uow2, Judgement(stars=4, flagged=True, comment="志愿者迟到"), 130)
    [follow_up] = uow2.follow_ups.stored.values()
    assert follow_up.cause.value == "complaint"


async def test_a_good_rating_opens_no_follow_up() -> None:
    uow = await served()
    await rate(uow, Judgement(stars=3))
    assert uow.follow_ups.stored == {}


def test_unknown_tags_are_refused_and_repeats_dropped() -> None:
    assert parse_tags(["on_time", "attitude", "on_time"]) == [Tag.ON_TIME, Tag.ATTITUDE]
    with pytest.raises(InvalidInput, match="'fast'"):
        parse_tags(["fast"])
