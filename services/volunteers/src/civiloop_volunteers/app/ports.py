"""What the use cases need from storage; VolunteersUnitOfWork and its repositories provide it.

Every repository is the platform's versioned store of one model (``Store``) with the named
queries its use cases ask; the app layer sees these protocols, never MongoDB.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from civiloop_contracts.envelope import Envelope
from civiloop_volunteers.domain.appraisal import Nomination
from civiloop_volunteers.domain.honours import Honour
from civiloop_volunteers.domain.ledger import HoursEntry
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.orders import OrderView
from civiloop_volunteers.domain.organisations import Membership, Organisation
from civiloop_volunteers.domain.service import Service
from civiloop_volunteers.domain.teams import Team
from civiloop_volunteers.domain.volunteer import Volunteer

M = TypeVar("M")
T = TypeVar("T")
Query = Mapping[str, Any]
Sort = Sequence[tuple[str, int]]


class Store(Protocol[M]):
    """Models of one kind, each saved over the version read (Stale) or added new (Taken)."""

    async def get(self, key: str) -> M | None:
        """The model with this id, or None."""
        ...

    async def find(self, query: Query, sort: Sort | None = None, limit: int = 0) -> list[M]:
        """Models matching ``query`` in ``sort`` order, at most ``limit`` (0: all)."""
        ...

    async def page(self, query: Query, skip: int, limit: int) -> tuple[list[M], int]:
        """One page of the models matching ``query`` in id order, and how many match."""
        ...

    async def add(self, aggregate: M) -> None:
        """Store a new model."""
        ...

    async def add_all(self, aggregates: Sequence[M]) -> None:
        """Store new models in one round trip."""
        ...

    async def add_if_absent(self, aggregate: M) -> bool:
        """Store a model unless its id is stored (a replayed event); True if stored."""
        ...

    async def save(self, aggregate: M) -> None:
        """Write back a model read here, or add one never read."""
        ...


class Volunteers(Store[Volunteer], Protocol):
    async def same_person(self, id_key: str, volunteer_number: str | None) -> list[Volunteer]:
        """Volunteers registered with this ID document or this volunteer number."""
        ...

    async def same_people(self, id_keys: list[str], numbers: list[str]) -> list[Volunteer]:
        """Volunteers registered with any of these ID documents or volunteer numbers."""
        ...

    async def by_numbers(self, numbers: list[str]) -> list[Volunteer]:
        """Volunteers with these volunteer numbers."""
        ...


class Teams(Store[Team], Protocol):
    async def of_member(self, volunteer_id: str) -> list[Team]:
        """The teams a volunteer belongs to."""
        ...

    async def led_by(self, volunteer_id: str) -> list[Team]:
        """The teams a volunteer leads."""
        ...


class Memberships(Store[Membership], Protocol):
    async def count_of(self, organisation_id: str) -> int:
        """How many members the organisation has."""
        ...

    async def member_ids(self, organisation_id: str) -> list[str]:
        """The volunteer ids of the organisation's members."""
        ...

    async def add_all_if_absent(self, memberships: list[Membership]) -> None:
        """Store those memberships not stored yet, in one round trip."""
        ...

    async def remove(self, membership_ids: list[str]) -> None:
        """Delete these memberships (those not stored are ignored)."""
        ...


class Offers(Store[Offer], Protocol):
    async def of_order(self, order_id: str) -> list[Offer]:
        """Every assignment of an order."""
        ...

    async def open_for(self, party_ids: list[str], limit: int = 100) -> list[Offer]:
        """Recent offers naming any of these volunteers or teams, latest deadline first."""
        ...


class Orders(Store[OrderView], Protocol):
    async def many(self, order_ids: list[str]) -> dict[str, OrderView]:
        """The known orders among ``order_ids``, by id."""
        ...

    async def close(self, order_id: str, reason: str) -> None:
        """Mark a known order closed with ``reason`` unless it is already."""
        ...


class Services(Store[Service], Protocol):
    async def of_order(self, order_id: str) -> list[Service]:
        """Every service of an order."""
        ...


class Ledger(Store[HoursEntry], Protocol):
    async def of_volunteer(self, volunteer_id: str) -> list[HoursEntry]:
        """Every entry of a volunteer, oldest first."""
        ...

    async def pending(self, query: dict[str, Any]) -> list[HoursEntry]:
        """Entries waiting for a decision, narrowed by ``query``."""
        ...

    async def totals(self, group_by: str | None, match: dict[str, Any]) -> list[dict[str, Any]]:
        """Counted hours and entries per ``group_by`` field (or overall), where ``match``."""
        ...


class Honours(Store[Honour], Protocol):
    async def current(self) -> list[Honour]:
        """Honours on the board, newest year first."""
        ...


class Nominations(Store[Nomination], Protocol):
    async def in_notice(self) -> list[Nomination]:
        """Nominations in their public notice, the soonest ending first."""
        ...


class UnitOfWork(Protocol):
    """A transaction in progress: the repositories, and the events it will publish."""

    @property
    def volunteers(self) -> Volunteers: ...
    @property
    def teams(self) -> Teams: ...
    @property
    def organisations(self) -> Store[Organisation]: ...
    @property
    def memberships(self) -> Memberships: ...
    @property
    def offers(self) -> Offers: ...
    @property
    def orders(self) -> Orders: ...
    @property
    def services(self) -> Services: ...
    @property
    def hours(self) -> Ledger: ...
    @property
    def honours(self) -> Honours: ...
    @property
    def nominations(self) -> Nominations: ...

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it is published only if the work commits."""
        ...

    async def run(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Apply ``work(self)`` in one transaction (imports run batches so)."""
        ...


class ImportJobs(Protocol):
    """The progress reports of spreadsheet imports."""

    async def progress(self, import_id: str, outcomes: list[dict[str, Any]]) -> None:
        """Add the outcomes of rows applied."""
        ...

    async def finish(self, import_id: str, status: str, error: str | None = None) -> None:
        """Mark the job done, interrupted or failed."""
        ...
