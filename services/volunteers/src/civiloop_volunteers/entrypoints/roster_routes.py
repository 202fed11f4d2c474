"""HTTP routes of who serves an order, for the people of the loop: its servers, its service.

A unit's volunteers and teams are listed by ``list_routes`` (page by page).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.usecase import run
from civiloop_volunteers.app import roster

router = APIRouter(prefix="/api/v1/volunteers", tags=["orders"])
ServersReader = Annotated[Principal, Depends(policy("orders.servers"))]
ServiceReader = Annotated[Principal, Depends(policy("service.read"))]


@router.get("/orders/{order_id}/servers", summary="Who serves an order, names masked")
async def order_servers(order_id: str, caller: ServersReader,
                        request: Request) -> list[dict[str, Any]]:
    """The volunteers who accepted the order (张*), with their star level: for its resident."""
    return await run(request, lambda uow: roster.servers_of(uow, caller, order_id))


@router.get("/orders/{order_id}/service", summary="An order's service: check-ins, check-outs, result")
async def order_service(order_id: str, caller: ServiceReader, request: Request) -> dict[str, Any]:
    """For the serving volunteers, their leader and the station: who arrived and left when."""
    service = await run(request, lambda uow: roster.service_of(uow, caller, order_id))
    return service.model_dump(mode="json")
