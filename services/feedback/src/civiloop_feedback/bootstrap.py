"""Wires the feedback service: its settings, routes, subscriptions and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_feedback.config import Settings
from civiloop_feedback.entrypoints.api import router
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app

DESCRIPTION = "老百姓评单: ratings, follow-ups of bad service, satisfaction."


def build_app(settings: Settings) -> FastAPI:
    """The feedback service's HTTP app, with its runtime started by the app's lifespan."""
    spec = ServiceSpec(settings=settings)
    return create_app(spec, routers=[router], title="civiloop feedback", description=DESCRIPTION)
