"""Wires the stats service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.web import create_app
from civiloop_stats.adapters.read_models import ensure_indexes
from civiloop_stats.adapters.unit_of_work import StatsUnitOfWork
from civiloop_stats.config import Settings
from civiloop_stats.entrypoints.api import router
from civiloop_stats.entrypoints.public import DASHBOARD, public, static_files
from civiloop_stats.entrypoints.subscriptions import figures

DESCRIPTION = "District figures computed from every topic (read models only), and the dashboard."


async def indexes(database: ServiceDatabase) -> None:
    """The live read models' indexes."""
    await ensure_indexes(database.db)


def build_spec(settings: Settings) -> ServiceSpec:
    """What the stats service adds to the platform: its subscription, unit of work, indexes."""
    return ServiceSpec(settings=settings, subscriptions=[figures(settings.stats_group)],
                       unit_of_work=StatsUnitOfWork, indexes=indexes)


def build_app(settings: Settings) -> FastAPI:
    """The stats service's HTTP app, with its runtime started by the app's lifespan."""
    app = create_app(build_spec(settings), routers=[router, public], title="civiloop stats",
                     description=DESCRIPTION)
    app.mount(f"{DASHBOARD}/static", static_files(), name="dashboard-static")
    return app
