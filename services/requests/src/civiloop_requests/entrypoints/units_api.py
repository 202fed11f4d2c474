"""HTTP routes for the units tree (中心 → 所 → 站): anyone signed in reads it, admins define it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, ConfigDict

from civiloop_contracts.events.units import UnitName
from civiloop_contracts.values import UnitCode, UnitLevel
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.adapters.units import MongoUnits
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.units import define_unit
from civiloop_requests.domain.units import Unit
from civiloop_requests.entrypoints.deps import Cases

router = APIRouter(prefix="/units", tags=["units"])
Reader = Annotated[Principal, Depends(policy("units.read"))]
Admin = Annotated[Principal, Depends(policy("units.manage"))]


class UnitIn(BaseModel):
    """A unit as the district admin defines it; the code is in the path."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "万和阳光社区新时代文明实践站", "name_en": "Wanhe Yangguang Station",
        "level": "station", "parent": "kunhe"}]})

    name: UnitName
    name_en: UnitName | None = None
    level: UnitLevel
    parent: UnitCode | None = None


@router.get("", response_model=list[Unit], summary="The units tree")
async def list_units(_: Reader, cases: Cases) -> list[Unit]:
    """Every unit, by code: the centre, its institutes and their stations."""
    return await MongoUnits(cases.runtime.database.db["units"]).all()


@router.put("/{code}", response_model=Unit, summary="Add or change a unit (district admin)",
            responses={201: {"description": "Added"}, 200: {"description": "Changed or as is"},
                       409: {"description": "Does not fit the tree; the message says why"}})
async def put_unit(code: Annotated[UnitCode, Path()], body: UnitIn, _: Admin, cases: Cases,
                   response: Response) -> Unit:
    """Define the unit; orders may name it from now on, and UnitDefined tells the others."""
    unit = Unit(code=code, **body.model_dump())

    async def work(uow: UnitOfWork) -> bool:
        return await define_unit(uow, unit, cases.announce)
    if await cases.run(work):
        response.status_code = status.HTTP_201_CREATED
    return unit
