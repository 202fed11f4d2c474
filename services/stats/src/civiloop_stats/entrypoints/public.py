"""What needs no login: the public board (headline figures, honours) and the dashboard page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from civiloop_contracts.values import UnitLevel
from civiloop_platform.auth.deps import policy
from civiloop_stats.adapters.snapshot import SnapshotReader
from civiloop_stats.app.queries import Ask, TableName, query
from civiloop_stats.domain.scope import Scope
from civiloop_stats.domain.units import Tree
from civiloop_stats.entrypoints.access import period_end
from civiloop_stats.entrypoints.api import tree_of, zone_of

STATIC = Path(__file__).parent / "static"
DASHBOARD = "/api/v1/stats/dashboard"
HEADLINE = ("registered_volunteers", "registration_rate", "organisations", "teams",
            "activities_held", "people_served", "service_hours",
            "hours_per_registered_volunteer", "orders_placed", "orders_completed",
            "average_stars", "honours")
"""The source's paragraph, live: the only figures the public board shows."""
BOARD_COLUMNS = ("title", "level", "year", "station", "institute")  # no names: public

public = APIRouter(prefix="/api/v1/stats", tags=["public"],
                   dependencies=[Depends(policy("stats.public"))])


@public.get("/public/board", summary="The public board: district headline figures and honours")
async def board(request: Request, as_of: str | None = None) -> dict[str, Any]:
    """Headline figures of the district and its honours; no login, no personal data."""
    zone = zone_of(request)
    end = period_end(as_of, zone)  # the input first: a bad date is a 422 whatever the tree
    tree = await tree_of(request)
    centres = sorted((u for u in tree.units.values() if u.level is UnitLevel.CENTRE),
                     key=lambda u: u.code)
    if not centres:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the units tree has no centre yet")
    centre = centres[0]
    scope = Scope(level=UnitLevel.CENTRE, code=centre.code, as_of=end)
    reader = SnapshotReader(request.app.state.runtime.database.db)
    snapshot = await reader.load(scope.level, scope.code)

    async def load(_: Scope) -> Any:
        return snapshot  # one read for the three tables

    figures = await query(Ask(TableName.FIGURES, scope), tree, load)
    honours = await query(Ask(TableName.HONOURS, scope), tree, load)
    listing = await query(Ask(TableName.HONOUR_BOARD, scope), tree, load)
    values = {row["figure"]: row["value"] for row in figures.rows}
    return {"unit": centre.code, "name": centre.name, "name_en": centre.name_en,
            "as_of": scope.as_of.isoformat(),
            "headline": {key: values[key] for key in HEADLINE},
            "honours": honours.rows,
            "board": [{k: row[k] for k in BOARD_COLUMNS} | {"station_name": _name(tree, row)}
                      for row in listing.rows]}


def _name(tree: Tree, row: dict[str, Any]) -> str:
    """The name of the station (else institute) an honour belongs to, for the public board."""
    unit = tree.units.get(row["station"]) or tree.units.get(row["institute"])
    return unit.name if unit else ""


@public.get("/public/units", summary="The network's units by name (no login, no figures)")
async def public_units(request: Request) -> list[dict[str, Any]]:
    """Centre, institutes and stations with their names: what a sign-in or order form shows."""
    order = {UnitLevel.CENTRE: 0, UnitLevel.INSTITUTE: 1, UnitLevel.STATION: 2}
    units = sorted((await tree_of(request)).units.values(),
                   key=lambda u: (order[u.level], u.code))
    return [{"code": u.code, "name": u.name, "name_en": u.name_en, "level": u.level.value,
             "parent": u.parent} for u in units]


@public.get("/dashboard", include_in_schema=False)
async def dashboard() -> FileResponse:
    """The dashboard page (it fetches everything else from the API)."""
    return FileResponse(STATIC / "dashboard.html", media_type="text/html; charset=utf-8")


def static_files() -> StaticFiles:
    """The page's script, styles and the vendored chart library."""
    return StaticFiles(directory=STATIC)
