"""Backup and restore (`civiloop-dev backup` / `restore`), and stats rebuilt from the topics
after its database is lost: on a Kafka and store of its own, since a rebuild reads every
topic from its beginning and must find only this stack's history there."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient
from typer.testing import CliRunner

from civiloop_devstack import services
from civiloop_devstack.cli import dev_app
from civiloop_devstack.load.api import Api
from civiloop_devstack.load.district import register_units
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.run import Target, run_load
from civiloop_devstack.testinfra import Endpoints, local_infra
from tests.e2e.agree import settled_disagreements
from tests.e2e.conftest import LOGS
from tests.e2e.owners import Reader
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.integration
STARTUP_S = 120.0


@pytest.fixture(scope="module")
def own() -> Iterator[tuple[Endpoints, Stack]]:
    """A Kafka and store of this module's own, and the five services on them."""
    with local_infra() as infra, running_stack(infra.kafka_bootstrap, infra.mongo_url,
                                               LOGS) as stack:
        yield infra, stack


def load(stack: Stack, infra: Endpoints, orders: int) -> LoadPlan:
    """A small load around the loop (its own institute and stations); every order closed."""
    plan = LoadPlan(stations=5, orders=orders, rate=2)
    report = asyncio.run(run_load(plan, Target(stack.urls, infra.kafka_bootstrap),
                                  stall_s=120))
    assert (report.lost, dict(report.statuses)) == (0, {"closed": orders})
    return plan


async def enter_units(stack: Stack, plan: LoadPlan) -> None:
    """The district admin enters a run's institute and stations in stats (again)."""
    async with httpx.AsyncClient(timeout=60) as client:
        await register_units(Api(stack.urls, client), plan)


def cli(*args: str) -> str:
    """Run `civiloop-dev …`; its output, failing the test on a non-zero exit."""
    done = CliRunner().invoke(dev_app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def lose_and_restore(stack: Stack, infra: Endpoints, name: str, backup: Path) -> None:
    """Stop a service, drop its database, restore it from ``backup``, start it again."""
    svc = stack.processes[name]
    services.stop([svc])
    database = stack.databases[name]
    client: MongoClient[dict[str, Any]]
    with MongoClient(infra.mongo_url) as client:
        client.drop_database(database)
        assert database not in client.list_database_names()
    cli("restore", str(backup), "--database", database, "--mongo-url", infra.mongo_url)
    services.relaunch(svc)
    services.wait_healthy([svc], STARTUP_S)
    assert services.wait_ready([svc], STARTUP_S)


def volunteers_view(stack: Stack) -> dict[str, Any]:
    """What volunteers lists: roster, services, hours, teams, organisations, honours."""
    owners = Reader(stack.urls).read()
    return {"roster": owners.roster, "services": owners.services, "hours": owners.hours,
            "teams": owners.teams, "organisations": owners.organisations,
            "honours": owners.honours}


@pytest.mark.timeout(900)
def test_a_database_restored_from_its_backup_serves_as_before_and_the_loop_goes_on(
        own: tuple[Endpoints, Stack], tmp_path: Path) -> None:
    infra, stack = own
    load(stack, infra, orders=20)
    before = volunteers_view(stack)
    databases = [arg for name in services.NAMES for arg in ("--database", stack.databases[name])]
    said = cli("backup", str(tmp_path / "backup"), *databases, "--mongo-url", infra.mongo_url)
    assert said.count("collections") == len(services.NAMES)
    lose_and_restore(stack, infra, "volunteers", tmp_path / "backup")
    assert volunteers_view(stack) == before
    load(stack, infra, orders=10)  # the restored service takes part in new orders
    assert not settled_disagreements(stack.urls)


@pytest.mark.timeout(900)
def test_stats_lost_is_restored_and_rebuilt_from_the_topics_to_equal_the_owners(
        own: tuple[Endpoints, Stack], tmp_path: Path) -> None:
    infra, stack = own
    load(stack, infra, orders=10)
    databases = ["--database", stack.databases["stats"]]
    cli("backup", str(tmp_path / "backup"), *databases, "--mongo-url", infra.mongo_url)
    later = load(stack, infra, orders=10)  # after the backup: only the topics know these
    # The database is lost; the backup brings back the units tree as it was (no event
    # carries it: units entered since are entered again) and older figures; the rebuild
    # replays every topic into the figures.
    lose_and_restore(stack, infra, "stats", tmp_path / "backup")
    asyncio.run(enter_units(stack, later))
    svc = stack.processes["stats"]
    rebuilt = subprocess.run([sys.executable, "-m", "civiloop_stats", "rebuild"],
                             env=svc.env, capture_output=True, text=True, timeout=600,
                             check=False)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "rebuilt:" in rebuilt.stdout
    found = settled_disagreements(stack.urls)
    assert not found, "\n".join(found)
