"""Ratings from station frontends (``RatingSubmitted`` on the intake topic).

The platform drops a redelivered CloudEvent by (source, id). A rating for a placed order
whose completion has not arrived yet (another topic, another consumer) is parked and
applied when the completion comes; so is one for an order whose placement has not arrived
yet, for the policy's ``order_wait``: after that it is dead-lettered as unknown. A rating
its rules refuse (cancelled order, another resident's, too late) is no fault of the
pipeline: the handler raises ContractError and the platform dead-letters it with the reason.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.events.intake import RatingSubmitted
from civiloop_contracts.payload import ContractError, Payload
from civiloop_contracts.values import Role
from civiloop_feedback.app.emit import after_event
from civiloop_feedback.app.metrics import PARKED_EXPIRED, PARKED_REFUSED, RATINGS_PARKED
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.app.ratings import change_rating, rate_order
from civiloop_feedback.domain.errors import NotCompleted, Refused, UnknownOrder
from civiloop_feedback.domain.order import ServedOrder
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement, parse_tags
from civiloop_platform.auth import Principal
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Handler, Received
from civiloop_platform.store.unit_of_work import MongoUnitOfWork

log = get_logger(__name__)
SWEEP_BATCH = 200


def intake_rater(payload: RatingSubmitted, order: ServedOrder | None, source: str) -> Rater:
    """The resident named by the frontend, or else the order's station recording for them."""
    if payload.resident_ref is not None:
        return Principal(role=Role.RESIDENT, subject=payload.resident_ref)
    unit = order.placement.unit if order is not None and order.placement is not None else None
    return Principal(role=Role.STATION_OPERATOR, subject=source,
                 station=unit.station if unit else None,
                 institute=unit.institute if unit else None)


async def apply_rating(event: Received[RatingSubmitted], uow: UnitOfWork,
                       policy: Policy) -> None:
    """Rate the order, or change its rating when it has one; Refused if the rules say no."""
    p, at = event.payload, event.envelope.time
    judgement = Judgement(stars=p.stars, tags=parse_tags(p.tags), comment=p.comment,
                          flagged=p.flagged)
    order = await uow.orders.get(p.order_id)
    rater = intake_rater(p, order, event.envelope.source)
    if order is not None and order.rated:
        await change_rating(uow, p.order_id, judgement, rater, at, policy.change_window,
                            after_event(event))
    else:
        await rate_order(uow, p.order_id, judgement, rater, at, after_event(event))


async def on_rating_submitted(event: Received[RatingSubmitted], uow: UnitOfWork,
                              policy: Policy) -> None:
    """Apply the rating; park it until the placement or completion arrives; dead-letter a
    refusal, or a rating whose order stayed unknown for the policy's ``order_wait``."""
    order_id = event.payload.order_id
    try:
        await apply_rating(event, uow, policy)
    except UnknownOrder as exc:
        if event.envelope.time + policy.order_wait <= utcnow():
            raise ContractError(f"RatingSubmitted for {order_id}: {exc}") from None
        await park(uow, await uow.orders.get(order_id) or ServedOrder(order_id=order_id),
                   event.envelope, placed=False)
    except NotCompleted as exc:
        order = await uow.orders.get(order_id)
        if order is None or not order.awaits_completion:
            raise ContractError(f"RatingSubmitted for {order_id}: {exc}") from None
        await park(uow, order, event.envelope, placed=True)
    except (Refused, ValidationError) as exc:
        raise ContractError(f"RatingSubmitted for {order_id}: {exc}") from None


async def park(uow: UnitOfWork, order: ServedOrder, envelope: Envelope, *, placed: bool) -> None:
    """Keep the rating until the order is completed (or placed), counted on its document."""
    order.parked += 1
    await uow.orders.save(order)
    await uow.parked.park(envelope, placed=placed)
    RATINGS_PARKED.inc()
    log.info("rating parked", order_id=order.order_id, until="completed" if placed else "placed")


async def release_parked(uow: UnitOfWork, order_id: str, policy: Policy) -> None:
    """Apply the ratings parked for a just-completed order; a refusal is logged and counted."""
    for envelope in await uow.parked.for_order(order_id):
        event = Received(RatingSubmitted.model_validate(envelope.data), envelope)
        try:
            await apply_rating(event, uow, policy)
        except (Refused, ValidationError) as exc:  # checked before any write: nothing to undo
            PARKED_REFUSED.inc()
            log.warning("parked rating refused", order_id=order_id, event_id=envelope.id,
                        reason=str(exc))
        await uow.parked.drop(envelope)


async def still_unknown(uow: UnitOfWork, envelope: Envelope) -> bool:
    """True if the parked rating's order is still unknown; else it waits for the completion."""
    order = await uow.orders.get(envelope.partitionkey)
    if order is None or order.placement is None:
        return True
    await uow.parked.mark_placed(envelope)
    return False


async def drop_unknown(uow: UnitOfWork, envelope: Envelope) -> None:
    """Forget a rating parked for an order that stayed unknown (it was dead-lettered)."""
    # The order's ``parked`` count stays: it says ratings were parked, as after a release.
    await uow.parked.drop(envelope)
    PARKED_EXPIRED.inc()


async def expire_unknown(new_uow: Callable[[], MongoUnitOfWork], now: datetime, policy: Policy,
                         dead_letter: Callable[[Envelope, str], Awaitable[None]]) -> int:
    """Dead-letter the ratings whose order stayed unknown for ``order_wait``; how many."""
    waited = await new_uow().run(
        lambda uow: uow.parked.unplaced_before(now - policy.order_wait, SWEEP_BATCH))
    expired = 0
    for envelope in waited:
        if not await new_uow().run(functools.partial(still_unknown, envelope=envelope)):
            continue
        # Dead-lettered before it is dropped: a crash between repeats the letter, loses nothing.
        await dead_letter(envelope, f"rejected: order {envelope.partitionkey} is not known "
                                    f"here (waited {policy.order_wait} for its placement)")
        await new_uow().run(functools.partial(drop_unknown, envelope=envelope))
        expired += 1
    return expired


def intake_handlers(policy: Policy) -> dict[type[Payload], Handler]:
    """The ``feedback-intake`` group's table: only RatingSubmitted (requests takes the rest)."""

    def on_rating(event: Received[Any], uow: Any) -> Awaitable[None]:
        return on_rating_submitted(event, uow, policy)

    return {RatingSubmitted: on_rating}
