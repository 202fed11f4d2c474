"""In-memory repositories and unit of work for the feedback use cases (no MongoDB)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.values import UnitRef
from civiloop_feedback.app.access import Scope
from civiloop_feedback.domain.errors import AlreadyRated
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus
from civiloop_feedback.domain.order import ServedOrder
from civiloop_feedback.domain.rating import Rating
from civiloop_feedback.domain.satisfaction import Outcome
from civiloop_platform.testing import FakeUnitOfWork

M = TypeVar("M", bound=BaseModel)


class _Store(Generic[M]):
    """Deep copies in a dict, so a change counts only once it is saved."""

    def __init__(self, key: str) -> None:
        self.key, self.stored = key, dict[str, M]()

    def _get(self, key: str) -> M | None:
        item = self.stored.get(key)
        return None if item is None else item.model_copy(deep=True)

    async def save(self, item: M) -> None:
        self.stored[str(getattr(item, self.key))] = item.model_copy(deep=True)


def _in_scope(unit: UnitRef, scope: Scope, resident_id: str | None = None,
              volunteer_ids: list[str] | None = None) -> bool:
    return (scope.units.covers(unit)
            and (scope.resident_id is None or scope.resident_id == resident_id)
            and (scope.volunteer_id is None or scope.volunteer_id in (volunteer_ids or [])))


class FakeOrders(_Store[ServedOrder]):
    def __init__(self) -> None:
        super().__init__("order_id")

    async def get(self, order_id: str) -> ServedOrder | None:
        return self._get(order_id)

    async def put(self, order: ServedOrder, fields: list[str]) -> ServedOrder:
        stored = self.stored.get(order.order_id)
        changed = {f: getattr(order, f) for f in fields}
        await self.save(order if stored is None else stored.model_copy(update=changed))
        return self.stored[order.order_id].model_copy(deep=True)

    async def due(self, completed_before: datetime, limit: int) -> list[str]:
        return [o.order_id for o in self.stored.values()
                if not (o.rated or o.lapsed or o.cancelled) and o.placement and o.service
                and o.service.completed_at <= completed_before][:limit]


class FakeRatings(_Store[Rating]):
    def __init__(self) -> None:
        super().__init__("feedback_id")

    async def current(self, order_id: str) -> Rating | None:
        mine = [r for r in self.stored.values() if r.order_id == order_id]
        return max(mine, key=lambda r: r.round).model_copy(deep=True) if mine else None

    async def add(self, rating: Rating) -> None:
        if any(r.order_id == rating.order_id and r.round == rating.round
               for r in self.stored.values()):
            raise AlreadyRated(rating.order_id)
        await self.save(rating)

    async def find_in(self, scope: Scope, limit: int) -> list[Rating]:
        return [r for r in self.stored.values() if _in_scope(
            r.unit, scope, r.resident_id, r.volunteer_ids)][:limit]


class FakeFollowUps(_Store[FollowUp]):
    def __init__(self) -> None:
        super().__init__("follow_up_id")

    async def get(self, follow_up_id: str) -> FollowUp | None:
        return self._get(follow_up_id)

    async def open_for(self, feedback_id: str) -> FollowUp | None:
        return next((f for f in self.stored.values() if f.feedback_id == feedback_id
                     and f.status is not FollowUpStatus.RESOLVED), None)

    async def find_in(self, scope: Scope, status: FollowUpStatus | None,
                      limit: int) -> list[FollowUp]:
        return [f for f in self.stored.values()
                if _in_scope(f.unit, scope)
                and (status is None or f.status is status)][:limit]


class FakeOutcomes:
    def __init__(self) -> None:
        self.stored: dict[str, Outcome] = {}

    async def record(self, outcome: Outcome) -> None:
        self.stored[f"{outcome.order_id}:{outcome.round}"] = outcome

    async def find_in(self, scope: Scope, since: datetime | None,
                      until: datetime | None) -> list[Outcome]:
        return [o for o in self.stored.values()
                if _in_scope(o.unit, scope, None, o.volunteer_ids)
                and (since is None or o.at >= since) and (until is None or o.at < until)]


class FakeParked:
    def __init__(self) -> None:
        self.stored: dict[str, Envelope] = {}
        self.placed: dict[str, bool] = {}

    async def park(self, envelope: Envelope, *, placed: bool) -> None:
        self.stored[f"{envelope.source} {envelope.id}"] = envelope
        self.placed[f"{envelope.source} {envelope.id}"] = placed

    async def for_order(self, order_id: str) -> list[Envelope]:
        return sorted((e for e in self.stored.values() if e.partitionkey == order_id),
                      key=lambda e: e.time)

    async def drop(self, envelope: Envelope) -> None:
        self.stored.pop(f"{envelope.source} {envelope.id}", None)

    async def unplaced_before(self, moment: datetime, limit: int) -> list[Envelope]:
        return sorted((e for k, e in self.stored.items()
                       if not self.placed[k] and e.time < moment), key=lambda e: e.time)[:limit]

    async def mark_placed(self, envelope: Envelope) -> None:
        self.placed[f"{envelope.source} {envelope.id}"] = True


class FakeFeedbackUnitOfWork(FakeUnitOfWork):
    """The platform's fake unit of work with the feedback repositories."""

    def __init__(self) -> None:
        super().__init__()
        self.orders = FakeOrders()
        self.ratings = FakeRatings()
        self.follow_ups = FakeFollowUps()
        self.outcomes = FakeOutcomes()
        self.parked = FakeParked()
