"""HTTP routes listing a unit's volunteers, services, teams and organisations (page by page).

Each list is the unit's own record, for its staff and the district: the figures stats
publishes can be recounted from them. They come before the registry's ``/{volunteer_id}``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from civiloop_platform.edge.params import Page as PageNo
from civiloop_platform.edge.params import PageSize
from civiloop_volunteers.app.listing import Listed, Page, list_unit
from civiloop_volunteers.entrypoints.edge import UnitLister, run

router = APIRouter(prefix="/api/v1/volunteers", tags=["lists"])
Code = Annotated[str | None, Query(max_length=64)]


async def _list(request: Request, caller: UnitLister, listed: Listed, station: str | None,
                institute: str | None, page: int, page_size: int) -> Page:
    return await run(request, lambda uow: list_unit(uow, caller, listed, station, institute,
                                                    page, page_size))


@router.get("", summary="Registered volunteers of a unit (no personal data), page by page")
async def volunteers(caller: UnitLister, request: Request, station: Code = None,
                     institute: Code = None, page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Id, unit, status, registration time, star level, specialties and platforms."""
    return await _list(request, caller, Listed.VOLUNTEERS, station, institute, page, page_size)


@router.get("/services", summary="Services (accepted assignments) of a unit's orders")
async def services(caller: UnitLister, request: Request, station: Code = None,
                   institute: Code = None, page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Who served which order, their check-in/out, and when completed with people served."""
    return await _list(request, caller, Listed.SERVICES, station, institute, page, page_size)


@router.get("/teams", summary="Volunteer teams of a unit")
async def teams(caller: UnitLister, request: Request, station: Code = None,
                institute: Code = None, page: PageNo = 1, page_size: PageSize = 50) -> Page:
    """Every team registered in the unit, active or not."""
    return await _list(request, caller, Listed.TEAMS, station, institute, page, page_size)


@router.get("/organisations", summary="Volunteer organisations registered in a unit")
async def organisations(caller: UnitLister, request: Request, station: Code = None,
                        institute: Code = None, page: PageNo = 1,
                        page_size: PageSize = 50) -> Page:
    """Every organisation registered in the unit."""
    return await _list(request, caller, Listed.ORGANISATIONS, station, institute, page,
                       page_size)
