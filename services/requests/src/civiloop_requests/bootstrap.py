"""Wires the requests service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_requests.adapters.unit_of_work import RequestsUnitOfWork, prepare_database
from civiloop_requests.config import Settings
from civiloop_requests.entrypoints.api import ROUTERS
from civiloop_requests.entrypoints.refusals import REFUSALS
from civiloop_requests.entrypoints.subscriptions import INTAKE, LOOP

DESCRIPTION = "群众点单: orders from every station, their timelines, and needs surveys (需求调查)."


def build_spec(settings: Settings) -> ServiceSpec:
    """What the requests service adds to the platform: its loop, unit of work and indexes."""
    return ServiceSpec(settings=settings, subscriptions=[INTAKE, LOOP],
                       unit_of_work=RequestsUnitOfWork, indexes=prepare_database)


def build_app(settings: Settings) -> FastAPI:
    """The requests service's HTTP app, with its runtime started by the app's lifespan."""
    spec = build_spec(settings)
    return create_app(spec, routers=ROUTERS, title="civiloop requests", description=DESCRIPTION,
                      refusals=REFUSALS)
