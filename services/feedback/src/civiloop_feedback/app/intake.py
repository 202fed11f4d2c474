"""Ratings from station frontends (``RatingSubmitted`` on the intake topic).

The platform drops a redelivered CloudEvent by (source, id). A rating its rules refuse
(unknown or unserved order, another resident's, too late to change) is no fault of the
pipeline: the handler raises ContractError and the platform dead-letters it with the reason.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from pydantic import ValidationError

from civiloop_contracts.events.intake import RatingSubmitted
from civiloop_contracts.payload import ContractError, Payload
from civiloop_contracts.values import Role
from civiloop_feedback.app.emit import after_event
from civiloop_feedback.app.policy import Policy
from civiloop_feedback.app.ports import UnitOfWork
from civiloop_feedback.app.ratings import change_rating, rate_order
from civiloop_feedback.domain.errors import Refused
from civiloop_feedback.domain.order import ServedOrder
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement, parse_tags
from civiloop_platform.messages import Handler, Received


def intake_rater(payload: RatingSubmitted, order: ServedOrder | None, source: str) -> Rater:
    """The resident named by the frontend, or else the order's station recording for them."""
    if payload.resident_ref is not None:
        return Rater(role=Role.RESIDENT, subject=payload.resident_ref)
    unit = order.placement.unit if order is not None and order.placement is not None else None
    return Rater(role=Role.STATION_OPERATOR, subject=source,
                 station=unit.station if unit else None,
                 institute=unit.institute if unit else None)


async def on_rating_submitted(event: Received[RatingSubmitted], uow: UnitOfWork,
                              policy: Policy) -> None:
    """Rate the order, or change its rating when it has one; refusals are dead-lettered."""
    p, at = event.payload, event.envelope.time
    try:
        judgement = Judgement(stars=p.stars, tags=parse_tags(p.tags), comment=p.comment,
                              flagged=p.flagged)
        order = await uow.orders.get(p.order_id)
        rater = intake_rater(p, order, event.envelope.source)
        if order is not None and order.rated:
            await change_rating(uow, p.order_id, judgement, rater, at, policy.change_window,
                                after_event(event))
        else:
            await rate_order(uow, p.order_id, judgement, rater, at, after_event(event))
    except (Refused, ValidationError) as exc:
        raise ContractError(f"RatingSubmitted for {p.order_id}: {exc}") from None


def intake_handlers(policy: Policy) -> dict[type[Payload], Handler]:
    """The ``feedback-intake`` group's table: only RatingSubmitted (requests takes the rest)."""

    def on_rating(event: Received[Any], uow: Any) -> Awaitable[None]:
        return on_rating_submitted(event, uow, policy)

    return {RatingSubmitted: on_rating}
