"""Wires the requests service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_requests.config import Settings
from civiloop_requests.entrypoints.api import router

DESCRIPTION = "群众点单: orders from every station, their timelines, and needs surveys (需求调查)."


def build_app(settings: Settings) -> FastAPI:
    """The requests service's HTTP app, with its runtime started by the app's lifespan."""
    spec = ServiceSpec(settings=settings)
    return create_app(spec, routers=[router], title="civiloop requests", description=DESCRIPTION)
