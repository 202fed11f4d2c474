"""What a listing of orders may ask for, narrowed to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from civiloop_contracts.values import Platform, Role
from civiloop_platform.auth.scope import EVERYWHERE, Scope
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.domain.errors import NotAllowed
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Status


@dataclass(frozen=True)
class OrderCriteria:
    """Filters of an order listing; None means "any"."""

    station: str | None = None
    institute: str | None = None
    statuses: tuple[Status, ...] = ()
    category: str | None = None
    platform: Platform | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    resident_id: str | None = None
    served_by: str | None = None
    units: Scope = EVERYWHERE
    """The part of the network the caller reads (set by ``scoped``)."""


@dataclass(frozen=True)
class Page:
    """One page of a listing: its items and how many match in all."""

    items: list[Order]
    total: int
    page: int
    page_size: int


def pinned(asked: str | None, own: str, what: str) -> str:
    """The caller's own unit, or NotAllowed when they asked for another one."""
    if asked is not None and asked != own:
        raise NotAllowed(f"{what} {asked} is outside this caller's unit ({own})")
    return own


def scoped(criteria: OrderCriteria, caller: Principal) -> OrderCriteria:
    """``criteria`` narrowed to the orders ``caller`` may see; refused if it asks beyond.

    Residents see their own orders, volunteers those they serve; staff the part of the asked
    unit their scope covers (AccessDenied when asking beside or above their own unit).
    """
    if caller.role is Role.RESIDENT:
        return replace(criteria, resident_id=pinned(criteria.resident_id, caller.subject,
                                                     "resident"))
    if caller.role in (Role.VOLUNTEER, Role.TEAM_LEADER):
        return replace(criteria, served_by=pinned(criteria.served_by, caller.subject,
                                                   "volunteer"))
    return replace(criteria, units=caller.scope.narrowed(institute=criteria.institute,
                                                         station=criteria.station))
