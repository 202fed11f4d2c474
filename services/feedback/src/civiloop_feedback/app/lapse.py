"""Auto-close: a served order not rated within the policy's days lapses as unrated, once.

Every replica may sweep. Lapsing writes the order's record in the same transaction as the
RatingLapsed outbox row, so two replicas lapsing one order (or a rating racing the lapse)
conflict in MongoDB; the loser retries, re-reads the order and finds nothing left to do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

from civiloop_contracts.events.feedback import RatingLapsed
from civiloop_contracts.payload import make_event
from civiloop_feedback.app.emit import SOURCE
from civiloop_feedback.app.metrics import RATINGS_LAPSED
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.domain.satisfaction import Outcome
from civiloop_platform.store.unit_of_work import MongoUnitOfWork

SWEEP_BATCH = 200


async def lapse_order(uow: UnitOfWork, order_id: str, now: datetime, policy: Policy) -> bool:
    """Close the order's round as unrated if its rating window has passed; True if it did."""
    order = await uow.orders.get(order_id)
    rate_by = None if order is None else order.lapse(now, policy.lapse_after)
    if order is None or rate_by is None or order.placement is None or order.service is None:
        return False
    await uow.orders.save(order)
    p, s = order.placement, order.service
    await uow.outcomes.record(Outcome(
        order_id=order_id, round=order.round, unit=p.unit, category=p.category,
        platform=p.platform, team_id=s.team_id, volunteer_ids=s.volunteer_ids, stars=None,
        at=now))
    uow.publish(make_event(RatingLapsed(
        order_id=order_id, rate_by=rate_by, unit=p.unit, category=p.category,
        platform=p.platform, team_id=s.team_id, volunteer_ids=s.volunteer_ids),
        source=SOURCE, time=now))
    RATINGS_LAPSED.inc()
    return True


async def sweep(new_uow: Callable[[], MongoUnitOfWork], now: datetime, policy: Policy) -> int:
    """Lapse every order whose rating window passed before ``now``; return how many."""
    due: list[str] = await new_uow().run(
        lambda uow: uow.orders.due(now - policy.lapse_after, SWEEP_BATCH))
    lapsed = 0
    for order_id in due:
        if await new_uow().run(functools.partial(lapse_order, order_id=order_id, now=now,
                                                 policy=policy)):
            lapsed += 1
    return lapsed
