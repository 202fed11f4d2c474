"""Who serves an order: what its resident, its servers and its unit's staff see."""

from __future__ import annotations

from typing import Any

from civiloop_contracts.masking import mask_name
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.errors import Forbidden, NotFound
from civiloop_volunteers.domain.service import Service


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
