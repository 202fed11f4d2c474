"""``civiloop-token``: mint a development bearer token for a role."""

from __future__ import annotations

from typing import Annotated

import typer

from civiloop_contracts.values import Role
from civiloop_platform.auth.policy import scope_for
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET

app = typer.Typer(add_completion=False, help="Mint a civiloop bearer token (development).")


@app.command()
def mint(
    role: Annotated[Role, typer.Option(help="The caller's role.")],
    subject: Annotated[str, typer.Option(help="The caller's id (resident, volunteer, …).")] = "dev",
    station: Annotated[str | None, typer.Option(help="Station code the caller acts for.")] = None,
    institute: Annotated[str | None, typer.Option(
        help="Institute code (give it with a station too).")] = None,
    centre: Annotated[str | None, typer.Option(
        help="Centre code: a centre dispatcher, or a district admin bound to one district.")
    ] = None,
    ttl: Annotated[int, typer.Option(help="Seconds the token stays valid.", min=1)] = 86400,
    secret: Annotated[str, typer.Option(envvar="AUTH_SECRET", help="Signing secret.",
                                        show_default=False)] = DEV_AUTH_SECRET,
) -> None:
    """Print a signed token to standard output."""
    try:
        scope_for(role, centre, institute, station)  # the services would refuse it everywhere
    except AccessDenied as exc:
        raise typer.BadParameter(str(exc), param_hint="--role") from None
    typer.echo(mint_token(secret, subject=subject, role=role.value, station=station,
                          institute=institute, centre=centre, ttl_s=ttl))
