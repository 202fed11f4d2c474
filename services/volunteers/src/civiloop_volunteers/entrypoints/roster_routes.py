"""HTTP routes of the lists people need on screen: a unit's volunteers and teams, an order's servers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import require_roles
from civiloop_volunteers.app import roster
from civiloop_volunteers.domain.teams import Team
from civiloop_volunteers.entrypoints.edge import Caller, run

router = APIRouter(prefix="/api/v1/volunteers", tags=["registry"])
Anyone = Annotated[Principal, Depends(require_roles(*Role))]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("", summary="The volunteers of the caller's unit (station staff, dispatchers)")
async def list_volunteers(caller: Caller, request: Request, station: str | None = None,
                          limit: Limit = 200) -> list[dict[str, Any]]:
    """Volunteers registered at the caller's station (or institute, or the district), by name."""
    found = await run(request, lambda uow: roster.volunteers_of(uow, caller, station, limit))
    return [v.public() for v in found]


@router.get("/teams", summary="The teams of the caller's unit")
async def list_teams(caller: Caller, request: Request, station: str | None = None,
                     limit: Limit = 200) -> list[Team]:
    """Teams of the caller's station (or institute, or the district), by name."""
    return await run(request, lambda uow: roster.teams_of(uow, caller, station, limit))


@router.get("/orders/{order_id}/servers", summary="Who serves an order, names masked")
async def order_servers(order_id: str, caller: Anyone,
                        request: Request) -> list[dict[str, Any]]:
    """The volunteers who accepted the order (张*), with their star level: for its resident."""
    return await run(request, lambda uow: roster.servers_of(uow, caller, order_id))


@router.get("/orders/{order_id}/service", summary="An order's service: check-ins, check-outs, result")
async def order_service(order_id: str, caller: Caller, request: Request) -> dict[str, Any]:
    """For the serving volunteers, their leader and the station: who arrived and left when."""
    service = await run(request, lambda uow: roster.service_of(uow, caller, order_id))
    return service.model_dump(mode="json")
