"""Wires the feedback service: its settings, routes, subscriptions, timer and unit of work."""

from __future__ import annotations

from fastapi import FastAPI

from civiloop_feedback.adapters.unit_of_work import FeedbackUnitOfWork, ensure_indexes
from civiloop_feedback.config import Settings
from civiloop_feedback.entrypoints.api import router
from civiloop_feedback.entrypoints.refusals import REFUSALS
from civiloop_feedback.entrypoints.subscriptions import intake, orders
from civiloop_feedback.entrypoints.sweeper import lapse_sweeper
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app

DESCRIPTION = "老百姓评单: ratings, follow-ups of bad service (回访), satisfaction."


def build_spec(settings: Settings) -> ServiceSpec:
    """What the feedback service adds to the platform: two subscriptions, a timer, indexes."""
    policy, ratings = settings.policy(), intake(settings.policy())
    return ServiceSpec(settings=settings, subscriptions=[orders(policy), ratings],
                       unit_of_work=FeedbackUnitOfWork, indexes=ensure_indexes,
                       workers={"lapse": lapse_sweeper(policy, settings.lapse_sweep_s,
                                                       ratings.group)})


def build_app(settings: Settings) -> FastAPI:
    """The feedback service's HTTP app, with its runtime started by the app's lifespan."""
    app = create_app(build_spec(settings), routers=[router], title="civiloop feedback",
                     description=DESCRIPTION, refusals=REFUSALS)
    app.state.policy = settings.policy()
    return app
