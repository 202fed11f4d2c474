"""FastAPI dependencies: authenticate the bearer token, then admit only the named roles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from civiloop_contracts.values import Role
from civiloop_platform.auth.tokens import AuthError, Principal, verify_token

_bearer = HTTPBearer(auto_error=False, description="civiloop bearer token (civiloop-token)")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller of this request; 401 when the token is missing or bad."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    secret: str = request.app.state.auth_secret
    try:
        return verify_token(secret, credentials.credentials)
    except AuthError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc),
                            headers={"WWW-Authenticate": "Bearer"}) from None


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only ``roles``; 403 names the caller's role otherwise."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {principal.role.value} may not do this (needs: {allowed})")
        return principal

    return check


def require_station(principal: Principal, station: str | None,
                    institute: str | None = None) -> None:
    """Raise 403 unless ``principal`` may act for ``station``."""
    if not principal.covers(station, institute):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"station {station} is outside this caller's unit")
