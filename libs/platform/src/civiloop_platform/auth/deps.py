"""FastAPI dependencies: authenticate the bearer token, then apply the route's named policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from civiloop_platform.auth.policy import POLICY, Reach, authorize
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.tokens import AuthError, Principal, verify_token

_bearer = HTTPBearer(auto_error=False, description="civiloop bearer token (civiloop-token)")
POLICY_ATTRIBUTE = "civiloop_policy"
"""Set on every dependency below: the name of the policy its route follows."""


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


def _named(check: Callable[..., Awaitable[Any]], name: str) -> Callable[..., Awaitable[Any]]:
    setattr(check, POLICY_ATTRIBUTE, name)
    return check


def policy(name: str) -> Callable[..., Awaitable[Any]]:
    """The dependency of a route following policy ``name``: the caller, if the policy admits them.

    401 without a valid token; 403 naming the role, or the missing unit claim, otherwise. A
    public policy needs no token (the dependency gives None).
    """
    if POLICY[name].reach is Reach.PUBLIC:
        async def public() -> None:
            return None
        return _named(public, name)

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        try:
            return authorize(principal, name)
        except AccessDenied as exc:
            raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from None

    return _named(check, name)


def checked_inside(name: str) -> Callable[..., Awaitable[None]]:
    """Marks a route that authenticates in its own way (Open311's api_key) and then applies
    ``authorize(caller, name)`` itself."""
    POLICY[name]

    async def marker() -> None:
        return None

    return _named(marker, name)


async def access_denied(_: Request, exc: Exception) -> JSONResponse:
    """A use case's refusal (the unit it loaded is not the caller's) as 403 with the reason."""
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_403_FORBIDDEN)
