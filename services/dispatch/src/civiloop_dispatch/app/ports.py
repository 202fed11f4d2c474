"""What the use cases need from the unit of work; DispatchUnitOfWork provides it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.values import UnitLevel, UnitRef
from civiloop_dispatch.domain.candidates import Candidate
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.policy import Policy


class Cases(Protocol):
    """Dispatch cases, one per order; saving one also keeps its accept-deadline timer."""

    async def get(self, order_id: str) -> Case | None:
        """The case, or None."""
        ...

    async def add(self, case: Case) -> bool:
        """Store a new case; False if the order has one already."""
        ...

    async def save(self, case: Case) -> None:
        """Write back a case read with ``get``; schedule or settle its deadline timer."""
        ...


class Candidates(Protocol):
    """The matching view of volunteers and teams."""

    async def get(self, key: str) -> Candidate | None:
        """The candidate with this matching-view key, or None."""
        ...

    async def put(self, candidate: Candidate) -> None:
        """Insert or replace the candidate (with its index keys and spare capacity)."""
        ...

    async def change(self, key: str, *, load: int = 0, declines: int = 0) -> Candidate | None:
        """Add ``load`` (never below zero) and ``declines``; the candidate after, or None."""
        ...

    async def find(self, need: Need, level: UnitLevel, *, exclude: list[str],
                   limit: int) -> list[Candidate]:
        """Up to ``limit`` active candidates fit for ``need`` at ``level`` with spare capacity,
        most spare capacity and longest since their last assignment first."""
        ...


class Work(Protocol):
    """Who served what and for how long: the fairness report's ledger."""

    async def assigned(self, order_id: str, candidate: Candidate, unit: UnitRef,
                       at: datetime) -> None:
        """Record that ``candidate`` took the order (once per order and candidate)."""
        ...

    async def hours(self, order_id: str, candidate: Candidate, hours: float, unit: UnitRef,
                    at: datetime) -> None:
        """Set the hours ``candidate`` gave to the order."""
        ...


class Timers(Protocol):
    """Accept-deadline timers, as a firing transaction sees them."""

    async def mark(self, timer_id: str, owner: str, now: datetime, state: str = "fired") -> bool:
        """Pending → ``state`` if ``owner`` still holds the claim; False otherwise."""
        ...


class UnitOfWork(Protocol):
    """A transaction in progress: repositories, routing rules, and the events it will publish."""

    policy: Policy

    @property
    def cases(self) -> Cases:
        """The cases repository bound to this transaction."""
        ...

    @property
    def candidates(self) -> Candidates:
        """The matching view bound to this transaction."""
        ...

    @property
    def work(self) -> Work:
        """The fairness ledger bound to this transaction."""
        ...

    @property
    def timers(self) -> Timers:
        """The deadline timers bound to this transaction."""
        ...

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it is published only if the work commits."""
        ...
