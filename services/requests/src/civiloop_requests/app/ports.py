"""What the use cases need from the unit of work; RequestsUnitOfWork (and test fakes) provide it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from civiloop_contracts.envelope import Envelope
from civiloop_platform.auth.scope import Scope
from civiloop_requests.domain.activity import Activity, ActivityState
from civiloop_requests.domain.catalogue import Catalogue, Category
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.survey import Survey
from civiloop_requests.domain.units import Unit


class Orders(Protocol):
    """The orders repository as the use cases see it."""

    async def get(self, key: str) -> Order | None:
        """The order, or None if there is none with this id."""
        ...

    async def add(self, aggregate: Order) -> None:
        """Store a new order (Taken if its id is stored already)."""
        ...

    async def save(self, aggregate: Order) -> None:
        """Write back an order read with ``get``."""
        ...

    async def open_of(self, resident_id: str, category: str, station: str) -> list[Order]:
        """The resident's open orders for ``category`` at ``station``."""
        ...


class Menu(Protocol):
    """The service menu as the use cases see it."""

    async def get(self, code: str) -> Category:
        """The active category ``code`` (UnknownCategory otherwise)."""
        ...

    async def catalogue(self) -> Catalogue:
        """The active menu."""
        ...

    async def put(self, category: Category) -> bool:
        """Add or replace ``category``; True when it is new."""
        ...

    async def retire(self, code: str) -> None:
        """Take ``code`` off the menu (UnknownCategory if it is not on it)."""
        ...


class Surveys(Protocol):
    """The needs surveys repository as the use cases see it."""

    async def get(self, key: str) -> Survey | None:
        """The survey, or None."""
        ...

    async def add(self, aggregate: Survey) -> None:
        """Store a new survey."""
        ...

    async def save(self, aggregate: Survey) -> None:
        """Write back a survey read with ``get``."""
        ...

    async def of_units(self, units: Scope) -> list[Survey]:
        """Surveys of the units inside ``units`` (a station, an institute's, or all)."""
        ...


class Activities(Protocol):
    """The activities repository as the use cases see it."""

    async def get(self, key: str) -> Activity | None:
        """The activity, or None."""
        ...

    async def add(self, aggregate: Activity) -> None:
        """Store a new activity."""
        ...

    async def save(self, aggregate: Activity) -> None:
        """Write back an activity read with ``get``."""
        ...

    async def of_units(self, units: Scope, states: list[ActivityState]) -> list[Activity]:
        """Activities of the units inside ``units`` in one of ``states``, newest first."""
        ...


class Units(Protocol):
    """The units tree as the use cases see it."""

    async def of(self, codes: Iterable[str | None]) -> dict[str, Unit]:
        """The units among ``codes`` that are in the tree, by code."""
        ...

    async def put(self, unit: Unit) -> None:
        """Create or replace ``unit``."""
        ...


class UnitOfWork(Protocol):
    """A transaction in progress: its repositories, and the events it will publish."""

    @property
    def orders(self) -> Orders:
        """The orders repository bound to this transaction."""
        ...

    @property
    def menu(self) -> Menu:
        """The menu bound to this transaction."""
        ...

    @property
    def surveys(self) -> Surveys:
        """The surveys repository bound to this transaction."""
        ...

    @property
    def activities(self) -> Activities:
        """The activities repository bound to this transaction."""
        ...

    @property
    def units(self) -> Units:
        """The units tree bound to this transaction."""
        ...

    def publish(self, envelope: Envelope) -> None:
        """Queue ``envelope``; it is published only if the work commits."""
        ...
