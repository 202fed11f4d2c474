"""What the use cases need from the unit of work; FeedbackUnitOfWork (and test fakes) provide it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from civiloop_contracts.envelope import Envelope
from civiloop_feedback.app.access import Scope
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus
from civiloop_feedback.domain.order import ServedOrder
from civiloop_feedback.domain.rating import Rating
from civiloop_feedback.domain.satisfaction import Outcome


class Orders(Protocol):
    """The orders read model."""

    async def get(self, order_id: str) -> ServedOrder | None:
        """The order, or None if nothing is known of it."""
        ...

    async def save(self, order: ServedOrder) -> None:
        """Store a new order or write back one read with ``get``."""
        ...

    async def put(self, order: ServedOrder, fields: list[str]) -> ServedOrder:
        """Write these ``fields`` of ``order`` over the stored one, or store it: no read."""
        ...

    async def due(self, completed_before: datetime, limit: int) -> list[str]:
        """Ids of placed orders served before the moment that are neither rated nor lapsed."""
        ...


class Ratings(Protocol):
    """The ratings repository."""

    async def current(self, order_id: str) -> Rating | None:
        """The rating of the order's latest rated round, or None."""
        ...

    async def add(self, rating: Rating) -> None:
        """Store a new rating; AlreadyRated if its order and round have one."""
        ...

    async def save(self, rating: Rating) -> None:
        """Write back a rating read with ``current``."""
        ...

    async def find_in(self, scope: Scope, limit: int) -> list[Rating]:
        """Ratings in ``scope``, newest first."""
        ...


class FollowUps(Protocol):
    """The follow-ups repository."""

    async def get(self, follow_up_id: str) -> FollowUp | None:
        """The follow-up, or None."""
        ...

    async def open_for(self, feedback_id: str) -> FollowUp | None:
        """The unresolved follow-up of a rating, if there is one."""
        ...

    async def save(self, follow_up: FollowUp) -> None:
        """Store a new follow-up or write back one that was read."""
        ...

    async def find_in(self, scope: Scope, status: FollowUpStatus | None,
                   limit: int) -> list[FollowUp]:
        """Follow-ups in ``scope``, oldest first (the longest waiting on top)."""
        ...


class Outcomes(Protocol):
    """How each served round ended, for satisfaction figures."""

    async def record(self, outcome: Outcome) -> None:
        """Store or replace the outcome of its order and round."""
        ...

    async def find_in(self, scope: Scope, since: datetime | None,
                   until: datetime | None) -> list[Outcome]:
        """Outcomes in ``scope`` that ended in [since, until)."""
        ...


class ParkedRatings(Protocol):
    """Intake ratings that overtook their order's completion (or its placement)."""

    async def park(self, envelope: Envelope, *, placed: bool) -> None:
        """Keep the rating's envelope (once per CloudEvent source and id); ``placed`` says
        whether its order was known (it waits for the completion) or not (for the placement)."""
        ...

    async def for_order(self, order_id: str) -> list[Envelope]:
        """The order's parked ratings, in the order they were given."""
        ...

    async def drop(self, envelope: Envelope) -> None:
        """Forget a parked rating once it was applied or refused."""
        ...

    async def unplaced_before(self, moment: datetime, limit: int) -> list[Envelope]:
        """Ratings parked for an unknown order, given before ``moment``, oldest first."""
        ...

    async def mark_placed(self, envelope: Envelope) -> None:
        """The parked rating's order is known now: it waits for the completion."""
        ...


class UnitOfWork(Protocol):
    """A transaction in progress: its repositories, and the events it will publish."""

    orders: Orders
    ratings: Ratings
    follow_ups: FollowUps
    outcomes: Outcomes
    parked: ParkedRatings

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it is published only if the work commits."""
        ...
