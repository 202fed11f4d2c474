"""A service's command line: ``python -m civiloop_<name>`` serves; tools are subcommands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from fastapi import FastAPI

from civiloop_platform.settings import ServiceSettings
from civiloop_platform.web import run_service

S = TypeVar("S", bound=ServiceSettings)


def service_cli(settings_cls: type[S], build_app: Callable[[S], FastAPI], about: str
                ) -> typer.Typer:
    """A Typer app that serves the service without a command (or with ``serve``); a
    service adds its own tools to it (stats ``rebuild``, requests ``announce-timelines``)."""
    cli = typer.Typer(help=about, no_args_is_help=False, add_completion=False)

    @cli.callback(invoke_without_command=True)
    def main(ctx: typer.Context) -> None:
        """Serve the service when no command is given."""
        if ctx.invoked_subcommand is None:
            run_service(settings_cls, build_app)

    @cli.command()
    def serve() -> None:
        """Run the service (HTTP API, consumers, relay) until SIGINT/SIGTERM."""
        run_service(settings_cls, build_app)

    return cli
