"""Who is registered where, and who serves an order: the lists station staff and residents see."""

from __future__ import annotations

from typing import Any

from civiloop_contracts.masking import mask_name
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.domain import access
from civiloop_volunteers.domain.errors import Forbidden, NotFound
from civiloop_volunteers.domain.service import Service
from civiloop_volunteers.domain.teams import Team
from civiloop_volunteers.domain.volunteer import Volunteer


def unit_filter(principal: Principal, station: str | None) -> dict[str, Any]:
    """The query of the caller's unit (narrowed to ``station``); Forbidden beyond it."""
    if principal.role not in access.UNIT_ROLES:
        raise Forbidden(f"role {principal.role.value} does not list a unit's volunteers")
    if principal.station is not None and station not in (None, principal.station):
        raise Forbidden(f"station {station} is outside this caller's unit")
    station = station or principal.station
    if station is not None:
        if principal.station is None and principal.institute is not None:
            return {"unit.station": station, "unit.institute": principal.institute}
        return {"unit.station": station}
    if principal.institute is not None:
        return {"unit.institute": principal.institute}
    if principal.role is Role.STATION_OPERATOR:
        raise Forbidden("a station operator's token must name a station")
    return {}


async def volunteers_of(uow: Uow, principal: Principal, station: str | None,
                        limit: int) -> list[Volunteer]:
    """The volunteers registered in the caller's unit (or one station of it), by name."""
    return await uow.volunteers.find(unit_filter(principal, station), sort=[("name", 1)],
                                     limit=limit)


async def teams_of(uow: Uow, principal: Principal, station: str | None, limit: int) -> list[Team]:
    """The teams of the caller's unit (or one station of it), by name."""
    return await uow.teams.find(unit_filter(principal, station), sort=[("name", 1)],
                                limit=limit)


async def servers_of(uow: Uow, principal: Principal, order_id: str) -> list[dict[str, Any]]:
    """Who accepted to serve the order, names masked: for its resident, servers and staff."""
    order = await uow.orders.get(order_id)
    if order is None:
        raise NotFound(f"order {order_id} is not known here (yet)")
    offers = await uow.offers.of_order(order_id)
    serving = list(dict.fromkeys(v for offer in offers for v in offer.serving()))
    ordered = principal.role is Role.RESIDENT and principal.subject == order.resident_id
    serves = principal.role in access.PERSONAL_ROLES and principal.subject in serving
    if not (ordered or serves or access.covers(principal, order.unit)):
        raise Forbidden(f"order {order_id} is not this caller's to see")
    found = {v.volunteer_id: v for v in await uow.volunteers.find(
        {"_id": {"$in": serving}})}
    return [{"volunteer_id": v, "name": mask_name(found[v].name) if v in found else None,
             "star_level": found[v].star_level if v in found else 0} for v in serving]


async def service_of(uow: Uow, principal: Principal, order_id: str) -> Service:
    """The order's service (the open one, else the last): who checked in and out, the result."""
    services = await uow.services.find({"order_id": order_id})
    if not services:
        raise NotFound(f"order {order_id} has no accepted assignment being served")
    service = next((s for s in services if s.completed_at is None), services[-1])
    serves = principal.role in access.PERSONAL_ROLES and (
        principal.subject in service.volunteer_ids or principal.subject == service.leader_id)
    if not (serves or access.covers(principal, service.unit)):
        raise Forbidden(f"the service of order {order_id} is not this caller's to see")
    return service
