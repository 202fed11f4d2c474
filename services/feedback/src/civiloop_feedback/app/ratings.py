"""Rating an order and changing the rating: shared by the HTTP API and the intake topic."""

from __future__ import annotations

from datetime import datetime, timedelta

from civiloop_feedback.app.emit import Emit, new_id
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.domain.errors import NoRating, UnknownOrder
from civiloop_feedback.domain.follow_up import open_follow_up
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement, Rating, give_rating
from civiloop_feedback.domain.satisfaction import Outcome


async def rate_order(uow: UnitOfWork, order_id: str, judgement: Judgement, rater: Rater,
                     now: datetime, emit: Emit) -> Rating:
    """老百姓评单: the first rating of the order's served round; a low one opens a follow-up."""
    order = await uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(f"order {order_id} is not known here")
    placement, service = order.record_rating(rater)
    rating, given = give_rating(new_id("fb"), order_id, order.round, placement, service,
                                judgement, rater, now)
    await uow.orders.save(order)  # with the rating: a racing lapse or second rating conflicts
    await uow.ratings.add(rating)
    await uow.outcomes.record(outcome_of(rating))
    uow.publish(emit(given))
    await follow_up_if_needed(uow, rating, now, emit)
    return rating


async def change_rating(uow: UnitOfWork, order_id: str, judgement: Judgement, rater: Rater,
                        now: datetime, window: timedelta, emit: Emit) -> Rating:
    """A new revision of the order's rating within ``window``; the old ones are kept."""
    rating = await uow.ratings.current(order_id)
    if rating is None:
        order = await uow.orders.get(order_id)
        if order is None:
            raise UnknownOrder(f"order {order_id} is not known here")
        order.check_rater(rater)
        raise NoRating(f"order {order_id} has no rating to change")
    changed = rating.change(judgement, rater, now, window)
    if changed is None:
        return rating  # the same judgement again: nothing changes
    await uow.ratings.save(rating)
    await uow.outcomes.record(outcome_of(rating))
    uow.publish(emit(changed))
    await follow_up_if_needed(uow, rating, now, emit)
    return rating


async def follow_up_if_needed(uow: UnitOfWork, rating: Rating, now: datetime,
                              emit: Emit) -> None:
    """Open a follow-up (回访) for a low or flagged judgement, unless one is open already."""
    judgement = rating.current
    cause = judgement.follow_up_cause()
    if cause is None or await uow.follow_ups.open_for(rating.feedback_id) is not None:
        return
    follow_up, opened = open_follow_up(new_id("fu"), rating.feedback_id, rating.order_id,
                                       rating.round, rating.unit, cause, judgement.stars, now)
    await uow.follow_ups.save(follow_up)
    uow.publish(emit(opened))


def outcome_of(rating: Rating) -> Outcome:
    """The satisfaction outcome of a rated round: its current stars, counted when first rated."""
    return Outcome(order_id=rating.order_id, round=rating.round, unit=rating.unit,
                   category=rating.category, platform=rating.platform, team_id=rating.team_id,
                   volunteer_ids=rating.volunteer_ids, stars=rating.current.stars,
                   at=rating.given_at)
