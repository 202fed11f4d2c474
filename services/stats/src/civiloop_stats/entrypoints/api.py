"""HTTP routes of the stats service: units, figures and tables (JSON or CSV), definitions."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.values import Platform, UnitCode, UnitLevel
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.tokens import Principal
from civiloop_stats.adapters.snapshot import SnapshotReader
from civiloop_stats.adapters.units import MongoUnits
from civiloop_stats.app.queries import Ask, Table, TableName, query
from civiloop_stats.domain.definitions import FIGURES
from civiloop_stats.domain.periods import Grain
from civiloop_stats.domain.scope import Scope
from civiloop_stats.domain.units import Population, Tree, Unit
from civiloop_stats.entrypoints.access import period_end, period_start, sees, visible_unit

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])
Reader = Annotated[Principal, Depends(policy("stats.figures"))]
UnitsReader = Annotated[Principal, Depends(policy("stats.units"))]
Admin = Annotated[Principal, Depends(policy("stats.units.manage"))]
UNKNOWN_UNIT = "The unit named is not in the units tree"


class PopulationIn(BaseModel):
    """A resident population figure in force from a date."""

    since: date
    residents: int = Field(ge=0, le=100_000_000)


class PopulationsIn(BaseModel):
    """A unit's resident population figures; the unit itself is defined in requests."""

    model_config = ConfigDict(extra="forbid")

    population: list[PopulationIn] = Field(max_length=100)


def _db(request: Request) -> Any:
    return request.app.state.runtime.database.db


def zone_of(request: Request) -> ZoneInfo:
    """The district's time zone (settings)."""
    return ZoneInfo(request.app.state.runtime.settings.stats_timezone)


async def tree_of(request: Request) -> Tree:
    """The units tree as stored now."""
    return await MongoUnits(_db(request)).tree()


def unit_json(unit: Unit) -> dict[str, Any]:
    """A unit as the API shows it."""
    return {"code": unit.code, "name": unit.name, "name_en": unit.name_en,
            "level": unit.level.value, "parent": unit.parent,
            "population": [{"since": p.since.isoformat(), "residents": p.residents}
                           for p in unit.population]}


@router.get("/units", summary="The units tree (the caller's part of it)")
async def list_units(request: Request, principal: UnitsReader) -> list[dict[str, Any]]:
    """Units the caller may see, centre first."""
    tree = await tree_of(request)
    seen = [u for u in tree.units.values() if sees(principal, tree, u.code)]
    order = {UnitLevel.CENTRE: 0, UnitLevel.INSTITUTE: 1, UnitLevel.STATION: 2}
    return [unit_json(u) for u in sorted(seen, key=lambda u: (order[u.level], u.code))]


@router.put("/units/{code}", summary="Set a unit's population figures (district admin)")
async def put_unit(request: Request, code: Annotated[UnitCode, Path()], body: PopulationsIn,
                   _: Admin) -> dict[str, Any]:
    """Save the unit's population; its name, level and parent come from requests (UnitDefined).

    The figures are kept even before the unit's definition has arrived from requests.
    """
    population = tuple(Population(p.since, p.residents) for p in body.population)
    units = MongoUnits(_db(request))
    await units.save_population(code, population)
    unit = (await units.tree()).units.get(code)
    return unit_json(unit) if unit is not None else {"code": code, "population": [
        {"since": p.since.isoformat(), "residents": p.residents} for p in population]}


async def ask_table(request: Request, principal: Principal, name: TableName, unit: str | None,
                    as_of: str | None, since: str | None, platform: Platform | None,
                    category: str | None, grain: Grain) -> tuple[Table, Scope]:
    """The table for the caller's question, after checking they may see the unit."""
    zone = zone_of(request)
    # The input first: a bad date is a 422 whatever the tree holds.
    end, start = period_end(as_of, zone), period_start(since, zone)
    tree = await tree_of(request)
    target = visible_unit(principal, tree, unit)
    scope = Scope(level=target.level, code=target.code, as_of=end, since=start,
                  platform=platform.value if platform else None, category=category)
    reader = SnapshotReader(_db(request))
    table = await query(Ask(name, scope, grain, zone), tree,
                        lambda s: reader.load(s.level, s.code))
    return table, scope


def as_csv(table: Table) -> Response:
    """The table as CSV: a header of its columns, then its rows (None as empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in table.rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{table.name}.csv"'})


@router.get("/tables/{name}", summary="A table of figures, as JSON or CSV (same query)")
async def get_table(request: Request, principal: Reader, name: TableName,
                    unit: str | None = None, as_of: str | None = None, since: str | None = None,
                    platform: Platform | None = None,
                    category: Annotated[str | None, Query(max_length=48)] = None,
                    grain: Grain = Grain.MONTH,
                    format: Literal["json", "csv"] = "json") -> Any:
    """Rows of the table for a unit (default: the caller's), ``as_of`` a moment, since another."""
    table, scope = await ask_table(request, principal, name, unit, as_of, since, platform,
                                   category, grain)
    if format == "csv":
        return as_csv(table)
    return {"table": table.name, "unit": scope.code, "level": scope.level.value,
            "as_of": scope.as_of.isoformat(),
            "since": scope.since.isoformat() if scope.since else None,
            "columns": table.columns, "rows": table.rows}


@router.get("/figures", summary="Every headline figure of a unit, keyed by figure",
            responses={404: {"description": UNKNOWN_UNIT}})
async def get_figures(request: Request, principal: Reader, unit: str | None = None,
                      as_of: str | None = None, since: str | None = None,
                      platform: Platform | None = None,
                      category: Annotated[str | None, Query(max_length=48)] = None,
                      ) -> dict[str, Any]:
    """The ``figures`` table as one object: {figure key: value}."""
    table, scope = await ask_table(request, principal, TableName.FIGURES, unit, as_of, since,
                                   platform, category, Grain.MONTH)
    return {"unit": scope.code, "level": scope.level.value, "as_of": scope.as_of.isoformat(),
            "figures": {row["figure"]: row["value"] for row in table.rows}}


@router.get("/definitions", summary="What every figure counts (zh, en, definition)",
            dependencies=[Depends(policy("stats.public"))])
async def definitions() -> list[dict[str, str]]:
    """The figure definitions, as the code applies them."""
    return [{"key": f.key, "zh": f.zh, "en": f.en, "kind": f.kind.value,
             "definition": f.definition} for f in FIGURES]
