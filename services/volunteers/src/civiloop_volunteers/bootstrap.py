"""Wires the volunteers service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_volunteers.adapters.repositories import ensure_indexes
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork
from civiloop_volunteers.config import Settings
from civiloop_volunteers.entrypoints.api import ROUTERS
from civiloop_volunteers.entrypoints.edge import add_error_handlers
from civiloop_volunteers.entrypoints.subscriptions import ORDERS

DESCRIPTION = "志愿者接单: the volunteer registry, teams, answers to orders, service hours and honours."


def build_spec(settings: Settings) -> ServiceSpec:
    """What the volunteers service adds to the platform: its subscription, unit of work, indexes."""
    return ServiceSpec(settings=settings, subscriptions=[ORDERS],
                       unit_of_work=VolunteersUnitOfWork, indexes=ensure_indexes)


def build_app(settings: Settings) -> FastAPI:
    """The volunteers service's HTTP app, with its runtime started by the app's lifespan."""
    app = create_app(build_spec(settings), routers=ROUTERS, title="civiloop volunteers",
                     description=DESCRIPTION)
    add_error_handlers(app)
    return app
