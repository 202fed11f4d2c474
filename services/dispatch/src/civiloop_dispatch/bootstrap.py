"""Wires the dispatch service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_dispatch.config import Settings
from civiloop_dispatch.entrypoints.api import router
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app

DESCRIPTION = "部门派单: who serves each order, accept deadlines and escalation 站→所→中心."


def build_app(settings: Settings) -> FastAPI:
    """The dispatch service's HTTP app, with its runtime started by the app's lifespan."""
    spec = ServiceSpec(settings=settings)
    return create_app(spec, routers=[router], title="civiloop dispatch", description=DESCRIPTION)
