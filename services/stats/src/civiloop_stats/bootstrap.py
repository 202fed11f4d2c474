"""Wires the stats service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_stats.config import Settings
from civiloop_stats.entrypoints.api import router

DESCRIPTION = "District figures computed from every topic (read models only)."


def build_app(settings: Settings) -> FastAPI:
    """The stats service's HTTP app, with its runtime started by the app's lifespan."""
    spec = ServiceSpec(settings=settings)
    return create_app(spec, routers=[router], title="civiloop stats", description=DESCRIPTION)
