"""Wires the volunteers service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app
from civiloop_volunteers.config import Settings
from civiloop_volunteers.entrypoints.api import router

DESCRIPTION = "志愿者接单: the volunteer registry, teams, answers to orders, service hours and honours."


def build_app(settings: Settings) -> FastAPI:
    """The volunteers service's HTTP app, with its runtime started by the app's lifespan."""
    spec = ServiceSpec(settings=settings)
    return create_app(spec, routers=[router], title="civiloop volunteers", description=DESCRIPTION)
