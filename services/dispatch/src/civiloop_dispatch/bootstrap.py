"""Wires the dispatch service: its settings, routes, subscriptions, unit of work and timers."""

from __future__ import annotations

import functools

from fastapi import FastAPI

from civiloop_dispatch.adapters.indexes import ensure_indexes
from civiloop_dispatch.adapters.unit_of_work import DispatchUnitOfWork
from civiloop_dispatch.config import Settings
from civiloop_dispatch.entrypoints import live
from civiloop_dispatch.entrypoints.api import router
from civiloop_dispatch.entrypoints.deadlines import deadline_loop
from civiloop_dispatch.entrypoints.refusals import REFUSALS
from civiloop_dispatch.entrypoints.subscriptions import subscriptions
from civiloop_platform.runtime import ServiceSpec
from civiloop_platform.web import create_app

DESCRIPTION = "部门派单: who serves each order, accept deadlines and escalation 站→所→中心."


def build_spec(settings: Settings) -> ServiceSpec:
    """What dispatch adds to the platform: consumers, unit of work, indexes, the deadline loop."""
    return ServiceSpec(
        settings=settings, subscriptions=subscriptions(settings.consumer_group),
        unit_of_work=functools.partial(DispatchUnitOfWork, policy=settings.policy()),
        indexes=ensure_indexes,
        workers={"deadlines": deadline_loop(settings.deadline_poll_s,
                                               settings.deadline_lease_s)})


def build_app(settings: Settings) -> FastAPI:
    """The dispatch service's HTTP app, with its runtime started by the app's lifespan."""
    return create_app(build_spec(settings), routers=[live.router, router], title="civiloop dispatch",
                      description=DESCRIPTION, refusals=REFUSALS)
