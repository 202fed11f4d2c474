"""``civiloop-token``: mint a development bearer token for a role."""

from __future__ import annotations

from typing import Annotated

import typer

from civiloop_contracts.values import Role
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET

app = typer.Typer(add_completion=False, help="Mint a civiloop bearer token (development).")


@app.command()
def mint(
    role: Annotated[Role, typer.Option(help="The caller's role.")],
    subject: Annotated[str, typer.Option(help="The caller's id (resident, volunteer, …).")] = "dev",
    station: Annotated[str | None, typer.Option(help="Station code the caller acts for.")] = None,
    institute: Annotated[str | None, typer.Option(help="Institute code.")] = None,
    ttl: Annotated[int, typer.Option(help="Seconds the token stays valid.", min=1)] = 86400,
    secret: Annotated[str, typer.Option(envvar="AUTH_SECRET", help="Signing secret.",
                                        show_default=False)] = DEV_AUTH_SECRET,
) -> None:
    """Print a signed token to standard output."""
    typer.echo(mint_token(secret, subject=subject, role=role.value, station=station,
                          institute=institute, ttl_s=ttl))
