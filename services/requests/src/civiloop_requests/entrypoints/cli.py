"""``python -m civiloop_requests``: serve (the default), or announce stored timelines again."""

from __future__ import annotations

import asyncio

import typer

from civiloop_platform.service_cli import service_cli
from civiloop_platform.settings import load_settings
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.mongo import make_client
from civiloop_requests.adapters.order_queries import MongoOrderQueries
from civiloop_requests.adapters.unit_of_work import RequestsUnitOfWork
from civiloop_requests.app.timelines import announce_timelines
from civiloop_requests.bootstrap import build_app
from civiloop_requests.config import Settings

cli = service_cli(Settings, build_app, "civiloop requests: orders, timelines, needs surveys.")


@cli.command(name="announce-timelines")
def announce_command() -> None:
    """Put every line of every stored order's timeline in the outbox again (OrderStepRecorded);
    the running service publishes them."""
    orders, lines = asyncio.run(_announce(load_settings(Settings)))
    typer.echo(f"announced {lines} timeline lines of {orders} orders")


async def _announce(settings: Settings) -> tuple[int, int]:
    client = make_client(settings.mongo_url.get_secret_value(), timeout_s=settings.mongo_timeout_s,
                         app_name="requests-announce")
    try:
        database = ServiceDatabase(client, settings.database)
        return await announce_timelines(MongoOrderQueries(database).ids(),
                                        lambda work: RequestsUnitOfWork(database).run(work))
    finally:
        await client.close()
