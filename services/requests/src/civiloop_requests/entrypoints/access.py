"""Who may see or act on an order, and whose eyes see the resident's real contact."""

from __future__ import annotations

from civiloop_contracts.values import Role, UnitRef
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.domain.errors import NotAllowed
from civiloop_requests.domain.order import Order

SERVERS = (Role.VOLUNTEER, Role.TEAM_LEADER)


def may_see(caller: Principal, order: Order) -> bool:
    """Residents their own orders, volunteers those they accepted, staff their units'."""
    if caller.role is Role.RESIDENT:
        return caller.subject == order.requester.resident_id
    if caller.role in SERVERS:
        return caller.subject in order.served_by
    return caller.covers(order.unit)


def check_places_at(caller: Principal, unit: UnitRef) -> None:
    """NotAllowed unless ``caller`` may order at ``unit``: a resident at their own station
    (when their token names one), an operator at the station their scope covers."""
    if caller.role is Role.RESIDENT:
        if caller.station not in (None, unit.station):
            raise NotAllowed(f"a resident of {caller.station} orders at their own station")
    elif not caller.covers(unit):
        raise NotAllowed(f"station {unit.station} is outside this caller's unit")


def check_may_see(caller: Principal, order: Order) -> None:
    """NotAllowed naming why, unless ``caller`` may see ``order``."""
    if not may_see(caller, order):
        raise NotAllowed(f"order {order.order_id} is not visible to this {caller.role}")


def sees_contact(caller: Principal, order: Order) -> bool:
    """The real phone: the resident, their station, and whoever accepted (after accepting)."""
    if caller.role is Role.RESIDENT:
        return caller.subject == order.requester.resident_id
    if caller.role is Role.STATION_OPERATOR:
        return caller.covers(order.unit)  # an operator's scope is always its one station
    return caller.role in SERVERS and caller.subject in order.served_by
