"""Wires the volunteers service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_volunteers.adapters.repositories import ensure_indexes
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.config import Settings
from civiloop_volunteers.entrypoints.api import ROUTERS
from civiloop_volunteers.entrypoints.refusals import REFUSALS
from civiloop_volunteers.entrypoints.subscriptions import orders

DESCRIPTION = "志愿者接单: the volunteer registry, teams, answers to orders, service hours and honours."


def build_spec(settings: Settings) -> ServiceSpec:
    """What the volunteers service adds to the platform: its subscription, unit of work, indexes."""
    return ServiceSpec(settings=settings, subscriptions=[orders(settings)],
                       unit_of_work=VolunteersUnitOfWork, indexes=ensure_indexes)


def build_app(settings: Settings) -> FastAPI:
    """The volunteers service's HTTP app, with its runtime started by the app's lifespan."""
    return assemble(build_spec(settings))


def assemble(spec: ServiceSpec) -> FastAPI:
    """The app around ``spec``: routes, error answers, imports stopped before the runtime."""
    app = create_app(spec, routers=ROUTERS, title="civiloop volunteers", description=DESCRIPTION,
                     refusals=REFUSALS)
    stop_imports_first(app)
    return app


def stop_imports_first(app: FastAPI) -> None:
    """On shutdown, interrupt running imports (they record how far they got) before the
    runtime closes the database under them."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with inner(app):
            try:
                yield
            finally:
                running: set[asyncio.Task[None]] = app.state.__dict__.get("imports", set())
                for task in list(running):
                    task.cancel()
                await asyncio.gather(*running, return_exceptions=True)

    app.router.lifespan_context = lifespan
