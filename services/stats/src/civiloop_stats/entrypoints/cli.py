"""``python -m civiloop_stats``: serve (the default), or rebuild the read models by replay."""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from civiloop_platform.service_cli import service_cli
from civiloop_platform.settings import load_settings
from civiloop_platform.store.mongo import make_client
from civiloop_stats.adapters.replay import TopicReader
from civiloop_stats.app.rebuild import Replayed, rebuild
from civiloop_stats.bootstrap import build_app
from civiloop_stats.config import Settings
from civiloop_stats.entrypoints.subscriptions import TOPICS

cli = service_cli(Settings, build_app, "civiloop stats: district figures from every topic.")


@cli.command(name="rebuild")
def rebuild_command() -> None:
    """Replay every topic from the beginning into fresh read models and swap them in."""
    settings = load_settings(Settings)
    counts = asyncio.run(_rebuild(settings))
    Console().print(f"rebuilt: {counts.read} records read, {counts.applied} events applied, "
                    f"{counts.skipped} skipped")


async def _rebuild(settings: Settings) -> Replayed:
    client = make_client(settings.mongo_url.get_secret_value(), timeout_s=settings.mongo_timeout_s,
                         app_name="stats-rebuild")
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns) as bar:
            task = bar.add_task("replay", total=None)
            async with TopicReader(settings.kafka_bootstrap, TOPICS,
                                   settings.kafka_send_timeout_s) as reader:
                return await rebuild(client[settings.database], reader,
                                     started=lambda total: bar.update(task, total=total),
                                     progress=lambda n: bar.advance(task, n))
    finally:
        await client.close()
