"""The five services in this process on the test Kafka and MongoDB, one app each, with clients."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from civiloop_platform.kafka.admin import ensure_topics
from tests.support import drop_when_done, eventually

NAMES = ("requests", "dispatch", "volunteers", "feedback", "stats")


def build_apps(centre: str, tag: str = "", **settings: Any) -> dict[str, FastAPI]:
    """Each service's app (not started), on fresh databases named after ``tag``."""
    apps = {}
    for name in NAMES:
        settings_cls = importlib.import_module(f"civiloop_{name}.config").Settings
        build_app = importlib.import_module(f"civiloop_{name}.bootstrap").build_app
        extra: dict[str, Any] = {"district_centre": centre} if name == "requests" else {}
        apps[name] = build_app(settings_cls(
            civiloop_env="test", mongo_db=f"civiloop_access_{name}_{tag}",
            instance_id=f"test-{name}", outbox_poll_s=0.1, **settings, **extra))
    return apps


@dataclass
class Stack:
    """The running apps and an HTTP client on each (in process, no sockets)."""

    apps: dict[str, FastAPI]
    clients: dict[str, httpx.AsyncClient]


@asynccontextmanager
async def running_stack(infra: Any, centre: str) -> AsyncIterator[Stack]:
    """Start the five apps (their lifespans start consumers, relays, timers); stop them after."""
    tag = uuid.uuid4().hex[:8]
    await ensure_topics(infra.kafka_bootstrap, 3)  # what `make topics` does
    apps = build_apps(centre, tag, kafka_bootstrap=infra.kafka_bootstrap,
                      mongo_url=infra.mongo_url)
    try:
        async with AsyncExitStack() as stack:
            for app in apps.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            clients = {name: await stack.enter_async_context(httpx.AsyncClient(
                # A crash is a 500 answer the matrix reports, not an exception that stops it.
                transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                base_url=f"http://{name}", timeout=60))
                for name, app in apps.items()}
            for client in clients.values():
                async def ready(client: httpx.AsyncClient = client) -> bool:
                    return (await client.get("/readyz")).status_code == 200
                await eventually(ready, within_s=120)
            yield Stack(apps, clients)
    finally:
        for app in apps.values():
            drop_when_done(app.state.runtime.settings.database)
