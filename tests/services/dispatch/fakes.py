"""In-memory repositories and unit of work for the dispatch use cases (no MongoDB)."""

from __future__ import annotations

from datetime import datetime

from civiloop_contracts.values import UnitLevel, UnitRef
from civiloop_dispatch.domain.candidates import Candidate
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.policy import Policy
from civiloop_platform.testing import FakeUnitOfWork


class FakeCases:
    """Deep copies in a dict, so a change counts only once it is saved."""

    def __init__(self) -> None:
        self.stored: dict[str, Case] = {}

    async def get(self, order_id: str) -> Case | None:
        case = self.stored.get(order_id)
        return None if case is None else case.model_copy(deep=True)

    async def add(self, case: Case) -> bool:
        if case.order_id in self.stored:
            return False
        await self.save(case)
        return True

    async def save(self, case: Case) -> None:
        self.stored[case.order_id] = case.model_copy(deep=True)


class FakeCandidates:
    """The matching view as a dict; ``find`` matches on the same keys as the index."""

    def __init__(self, policy: Policy) -> None:
        self.stored: dict[str, Candidate] = {}
        self.policy = policy

    async def get(self, key: str) -> Candidate | None:
        candidate = self.stored.get(key)
        return None if candidate is None else candidate.model_copy(deep=True)

    async def put(self, candidate: Candidate) -> None:
        self.stored[candidate.key] = candidate.model_copy(deep=True)

    async def change(self, key: str, *, load: int = 0, declines: int = 0) -> Candidate | None:
        found = self.stored.get(key)
        if found is None:
            return None
        found.load, found.declines = max(0, found.load + load), found.declines + declines
        return found.model_copy(deep=True)

    async def find(self, need: Need, level: UnitLevel, *, exclude: list[str],
                   limit: int) -> list[Candidate]:
        keys = set(need.match_keys(level))
        return [c for c in self.stored.values()
                if keys & set(c.match_keys()) and c.key not in exclude
                and c.load < c.cap(self.policy.cap_for(c.kind))][:limit]


class FakeWork:
    """The fairness ledger as (order, candidate key) → hours."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str], float] = {}

    async def assigned(self, order_id: str, candidate: Candidate, unit: UnitRef,
                       at: datetime) -> None:
        self.lines.setdefault((order_id, candidate.key), 0.0)

    async def hours(self, order_id: str, candidate: Candidate, hours: float, unit: UnitRef,
                    at: datetime) -> None:
        self.lines[(order_id, candidate.key)] = hours


class FakeTimers:
    """Every claim is still held."""

    async def mark(self, timer_id: str, owner: str, now: datetime, state: str = "fired") -> bool:
        return True


class FakeDispatchUnitOfWork(FakeUnitOfWork):
    """The dispatch unit of work in memory."""

    def __init__(self, policy: Policy | None = None) -> None:
        super().__init__()
        self.policy = policy or Policy()
        self.cases = FakeCases()
        self.candidates = FakeCandidates(self.policy)
        self.work = FakeWork()
        self.timers = FakeTimers()
