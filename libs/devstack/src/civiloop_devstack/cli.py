"""The ``civiloop-infra`` and ``civiloop-dev`` command lines."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from civiloop_devstack.config import InfraConfig, InfraError
from civiloop_devstack.infra import LocalInfra, Status
from civiloop_devstack.kafka import create_topics

infra_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Local Kafka (KRaft) + SecantusDB for development and tests.")
dev_app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help="Run the whole civiloop system locally.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def guarded(action: Callable[[], None]) -> None:
    """Run ``action``; an InfraError becomes its message on stderr and exit status 1."""
    try:
        action()
    except InfraError as exc:
        err.print(f"[red]civiloop:[/red] {exc}", markup=True, soft_wrap=True)
        raise typer.Exit(1) from None


def _show(rows: list[Status]) -> None:
    """One line per server: name, state, PID, address, how long it took."""
    for row in rows:
        state = row.note or ("running" if row.pid else "stopped")
        took = f" (ready in {row.ready_s:.1f}s)" if row.ready_s is not None else ""
        pid = f"pid {row.pid}" if row.pid else "-"
        out.print(f"{row.name:<6} {state:<16} {pid:<11} {row.address}{took}")


@infra_app.command()
def up() -> None:
    """Start Kafka and SecantusDB (if not running) and wait until both answer."""
    guarded(lambda: _show(LocalInfra.from_env().up()))


@infra_app.command()
def down() -> None:
    """Stop the Kafka and SecantusDB that `up` started (by their PID files)."""
    guarded(lambda: _show(LocalInfra.from_env().down()))


@infra_app.command()
def status() -> None:
    """Show whether each server runs; exit 3 when either is down."""
    def show() -> None:
        rows = LocalInfra.from_env().status()
        _show(rows)
        if any(r.pid is None for r in rows):
            raise typer.Exit(3)
    guarded(show)


@infra_app.command()
def env() -> None:
    """Print `export` lines for KAFKA_BOOTSTRAP and MONGO_URL (use with eval)."""
    def show() -> None:
        cfg = InfraConfig.from_env()
        sys.stdout.write(f"export KAFKA_BOOTSTRAP={cfg.kafka_bootstrap} "
                         f"MONGO_URL='{cfg.mongo_url}'\n")
    guarded(show)


@infra_app.command()
def topics() -> None:
    """Create the catalogue's missing topics (and .dlq twins); make every one keep its history."""
    def make() -> None:
        cfg = InfraConfig.from_env()
        changes = create_topics(cfg)
        created, aligned = changes.created, changes.aligned
        out.print(f"created {len(created)} topic(s) with {cfg.partitions} partitions"
                  + (": " + ", ".join(created) if created else " (all existed)"))
        if aligned:
            out.print(f"set unlimited retention on {len(aligned)} existing topic(s): "
                      + ", ".join(aligned))
    guarded(make)


@infra_app.command("build-store")
def build_store() -> None:
    """Compile SecantusDB's Rust server once into the cache (skipped with CIVILOOP_STORE=py)."""
    from civiloop_devstack import store

    def build() -> None:
        if store.kind() == "py":
            out.print("CIVILOOP_STORE=py: the Python server (secantusd-py) runs; nothing to build")
            return
        exe = store.rs_binary()
        if exe.is_file():
            out.print(f"secantusd-rs {store.RS_VERSION}: {exe}")
            return
        out.print(f"building secantusd-rs {store.RS_VERSION} with cargo into {exe.parent.parent} "
                  "(once; 7–13 min on 2 cores)")
        store.build_rs()
        out.print(f"secantusd-rs {store.RS_VERSION}: {exe}")
    guarded(build)


@dev_app.callback()
def _dev() -> None:
    """Run the whole civiloop system locally."""


@dev_app.command()
def run(
    reset: Annotated[bool, typer.Option(help="Wipe Kafka and MongoDB data first.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each /healthz.")] = 60.0,
) -> None:
    """Start infra, topics and the five services; Ctrl-C stops what it started."""
    from civiloop_devstack.supervisor import run_all

    guarded(lambda: run_all(InfraConfig.from_env(), reset=reset, health_timeout_s=timeout,
                            console=out))


@dev_app.command()
def load(
    stations: Annotated[int, typer.Option(min=1, help="Simulated stations.")] = 20,
    orders: Annotated[int, typer.Option(min=1, help="Orders to publish in all.")] = 2000,
    rate: Annotated[float, typer.Option(min=0.1, help="Orders per second, all stations.")] = 2.0,
    volunteers: Annotated[int, typer.Option(min=1, help="Volunteers per station.")] = 3,
    stall: Annotated[float, typer.Option(help="Give up after this many seconds without "
                                               "progress.")] = 60.0,
) -> None:
    """Load the running system (`make run`): stations order, volunteers serve, residents rate."""
    from civiloop_devstack.load.console import run_with_progress, summary
    from civiloop_devstack.load.plan import LoadPlan
    from civiloop_devstack.load.run import Target
    from civiloop_devstack.services import healthy, local_urls

    def go() -> None:
        urls = local_urls()
        if down := [name for name, url in urls.items() if not healthy(url)]:
            raise InfraError(f"{', '.join(down)} not answering: start the system with "
                             "`make run` first")
        plan = LoadPlan(stations=stations, orders=orders, rate=rate,
                        volunteers_per_station=volunteers)
        report = run_with_progress(plan, Target(urls, InfraConfig.from_env().kafka_bootstrap),
                                   out, stall)
        for line in summary(plan, report):
            out.print(line)
        if report.lost or report.statuses["closed"] != report.published:
            raise typer.Exit(1)
    guarded(go)


def _databases(services: list[str] | None, databases: list[str] | None) -> list[str]:
    """``databases`` if named, else those of ``services`` (all five) as `make run` names them."""
    from civiloop_devstack.services import NAMES

    if databases:
        return databases
    chosen = services or list(NAMES)
    if unknown := [s for s in chosen if s not in NAMES]:
        raise InfraError(f"no service named {', '.join(unknown)}: choose from {', '.join(NAMES)}")
    return [f"civiloop_{name}" for name in chosen]


Services = Annotated[list[str] | None, typer.Option("--service", help="A service (repeat "
                                                    "for several); all five by default.")]
MongoUrl = Annotated[str | None, typer.Option(help="The store; default: the local infra's.")]
Databases = Annotated[list[str] | None, typer.Option("--database", help="A database by name, "
                                                     "in place of --service (repeat).")]


@dev_app.command()
def backup(
    folder: Annotated[str | None, typer.Argument(help="Where to write it (default: "
                                                      ".local/backups/<UTC time>).")] = None,
    service: Services = None, database: Databases = None, mongo_url: MongoUrl = None,
) -> None:
    """Copy each service's database (one snapshot per database) as BSON, with a manifest."""
    from datetime import UTC, datetime
    from pathlib import Path

    from civiloop_devstack.backup import back_up

    def go() -> None:
        cfg = InfraConfig.from_env()
        where = Path(folder) if folder else cfg.home / "backups" / (
            datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        manifest = back_up(mongo_url or cfg.mongo_url, _databases(service, database), where)
        for db, colls in manifest["databases"].items():
            docs = sum(c["documents"] for c in colls.values())
            out.print(f"{db}: {len(colls)} collections, {docs} documents")
        out.print(f"backup written to {where}")
    guarded(go)


@dev_app.command()
def restore(
    folder: Annotated[str, typer.Argument(help="A folder `backup` wrote.")],
    service: Services = None, database: Databases = None, mongo_url: MongoUrl = None,
) -> None:
    """Replace each service's database by its backup (stop the service first)."""
    from pathlib import Path

    from civiloop_devstack.backup import restore as restore_db

    def go() -> None:
        url = mongo_url or InfraConfig.from_env().mongo_url
        for db in _databases(service, database):
            counts = restore_db(url, Path(folder), db)
            out.print(f"{db}: {len(counts)} collections, {sum(counts.values())} documents "
                      "restored")
    guarded(go)
