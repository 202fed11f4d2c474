"""``civiloop-dev run``: infra, topics and the five services, until Ctrl-C stops them."""

from __future__ import annotations

import os
import signal
import time
from types import FrameType

from rich.console import Console

from civiloop_devstack import gateway, kafka, services
from civiloop_devstack.config import InfraConfig, InfraError
from civiloop_devstack.demo import Demo
from civiloop_devstack.infra import LocalInfra
from civiloop_devstack.keeper import Keeper

# Unit claims of the development tokens: an example station of the source text, its
# institute and the centre (a dispatcher's token must name its unit, an operator's its station).
DEMO_READY_S = 120.0
DEV_CENTRE = "kunqu"
DEV_INSTITUTE = "kunhe"
DEV_STATION = "wanhe-yangguang"
_AT_STATION = {"station": DEV_STATION, "institute": DEV_INSTITUTE, "centre": DEV_CENTRE}
ROLES: dict[str, dict[str, str]] = {
    "resident": _AT_STATION,
    "volunteer": {},
    "team_leader": {},
    "station_operator": _AT_STATION,
    "dispatcher": {"institute": DEV_INSTITUTE, "centre": DEV_CENTRE},
    "district_admin": {},
    "service": {},
}


def dev_tokens() -> dict[str, str]:
    """A development token per role, or {} while the platform has no mint_token yet."""
    try:
        from civiloop_platform.auth.tokens import mint_token
        from civiloop_platform.settings import DEV_AUTH_SECRET
    except ImportError:
        return {}
    return {role: mint_token(DEV_AUTH_SECRET, subject=f"dev-{role.replace('_', '-')}",
                             role=role, station=claims.get("station"),
                             institute=claims.get("institute"), centre=claims.get("centre"))
            for role, claims in ROLES.items()}


def print_table(console: Console, running: list[services.Service]) -> None:
    """The services with their API, docs and metrics URLs, then one token per role."""
    # Plain lines, not a table: URLs must stay whole in a narrow terminal or a piped log.
    console.print("[bold]civiloop services[/bold]")
    for svc in running:
        console.print(f"  {svc.name:<11} {svc.url}  docs {svc.url}/api/v1/{svc.name}/docs  "
                      f"metrics {svc.url}/metrics  log {svc.log}", soft_wrap=True)
    tokens = dev_tokens()
    if not tokens:
        console.print("(no development tokens: civiloop_platform.auth.tokens is not there yet)")
    for role, token in tokens.items():
        unit = "".join(f" {claim}={code}" for claim, code in ROLES[role].items())
        console.print(f"[bold]{role}[/bold]{unit}\n  Authorization: Bearer {token}",
                      soft_wrap=True)


def load_demo(cfg: InfraConfig, running: list[services.Service], console: Console) -> None:
    """Load the demo district once per home (CIVILOOP_DEMO=0 skips it); a failure is reported."""
    marker = cfg.home / "demo-loaded"
    if marker.exists() or os.environ.get("CIVILOOP_DEMO", "1") == "0":
        return
    if not services.wait_ready(running, DEMO_READY_S):
        console.print("[red]demo district not loaded: the services did not become ready[/red]")
        return
    try:
        Demo({s.name: s.url for s in running}).load(say=console.print)
    except Exception as exc:  # the services still run; the reason is shown
        console.print(f"[red]demo district not loaded: {exc}[/red]")
        return
    marker.write_text("loaded\n")


def start_gateway(cfg: InfraConfig, running: list[services.Service],
                  console: Console) -> services.Service | None:
    """Start the gateway in front of ``running``; without nginx, say how to get it."""
    front = None
    try:
        front = gateway.start(gateway.gateway_port(), {s.name: s.port for s in running},
                              cfg.home)
        services.wait_healthy([front], 30)
    except BaseException as exc:
        if front is not None:
            services.stop([front])
        if not isinstance(exc, InfraError):
            raise
        console.print(f"[red]gateway not started: {exc}[/red]", soft_wrap=True)
        return None
    return front


def print_entry(console: Console, front: services.Service | None) -> None:
    """The one URL a person opens."""
    if front is not None:
        console.print(f"[bold green]open {front.url}/[/bold green]  (the web app, every API "
                      f"under /api/v1/<service>/, docs at /api/v1/<service>/docs; "
                      f"gateway log {front.log.parent})", soft_wrap=True)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into the same orderly stop as Ctrl-C."""
    raise KeyboardInterrupt


def watch(console: Console, running: list[services.Service]) -> None:
    """Keep every service up (restart the dead with backoff, logged); return on Ctrl-C or SIGTERM."""
    keeper = Keeper(say=lambda line: console.print(f"[yellow]{line}[/yellow]", soft_wrap=True))
    keeper.watch(running)
    try:
        while True:
            keeper.tick()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("stopping…")


def run_all(cfg: InfraConfig, *, reset: bool, health_timeout_s: float, console: Console) -> None:
    """Run everything until interrupted, then stop the services and the infra we started."""
    # SIGINT too: a shell starting us in the background leaves SIGINT ignored otherwise.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _raise_interrupt)
    infra = LocalInfra(cfg.home, config=cfg)
    if reset:
        infra.down()
        infra.reset()
    ours = any(s.pid is None for s in infra.status())  # we stop infra only if we start it
    running: list[services.Service] = []
    front: services.Service | None = None
    try:
        for row in infra.up():
            console.print(f"{row.name}: {row.note or 'running'} at {row.address}")
        topics = kafka.create_topics(cfg)
        console.print(f"topics: {len(topics.created)} created, {cfg.partitions} partitions "
                      f"each; {len(topics.aligned)} existing brought to unlimited retention")
        first = services.first_port()
        for offset, name in enumerate(services.NAMES):
            running.append(services.start(services.Backends.of(cfg), name, first + offset))
        services.wait_healthy(running, health_timeout_s)
        front = start_gateway(cfg, running, console)
        load_demo(cfg, running, console)
        print_table(console, running)
        print_entry(console, front)
        console.print("Ctrl-C stops the services" + (" and the infra." if ours else
                                                      " (the infra was already running)."))
        watch(console, [*running, *([front] if front else [])])
    except KeyboardInterrupt:
        console.print("interrupted while starting: stopping…")
    finally:
        # A second signal must not cut the stop short and leave the infra running: uv and
        # make pass on the Ctrl-C the terminal already sent us. Every stop step has its own
        # timeout and SIGKILL fallback, so ignoring them cannot hang.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        services.stop([*([front] if front else []), *running])
        if ours:
            infra.down()
