"""Signed bearer tokens (JWT, HS256) carrying who the caller is, their role and their unit."""

from __future__ import annotations

import time

import jwt
from pydantic import BaseModel, ConfigDict, ValidationError

from civiloop_contracts.values import Role, UnitRef
from civiloop_platform.auth.policy import scope_for
from civiloop_platform.auth.scope import AccessDenied, Scope

ISSUER = "civiloop"
AUDIENCE = "civiloop"
ALGORITHM = "HS256"


class AuthError(Exception):
    """A token that is missing, forged, expired or lacks a claim; the message says which."""


class Principal(BaseModel):
    """The verified caller: subject id, role, and the centre / institute / station they act for."""

    model_config = ConfigDict(frozen=True)

    subject: str
    role: Role
    station: str | None = None
    institute: str | None = None
    centre: str | None = None

    @property
    def scope(self) -> Scope:
        """Where this caller acts; AccessDenied for a unit-bound role whose token names none."""
        return scope_for(self.role, self.centre, self.institute, self.station)

    def covers(self, unit: UnitRef) -> bool:
        """True when ``unit`` lies inside this caller's scope (never for an unbound caller)."""
        try:
            return self.scope.covers(unit)
        except AccessDenied:
            return False


def mint_token(secret: str, *, subject: str, role: str, station: str | None = None,
               institute: str | None = None, centre: str | None = None,
               ttl_s: int = 86400) -> str:
    """Sign a token for ``subject`` with ``role`` and unit claims, valid for ``ttl_s``."""
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": subject, "role": Role(role).value,
        "iat": now, "exp": now + ttl_s,
    }
    if station:
        claims["station"] = station
    if institute:
        claims["institute"] = institute
    if centre:
        claims["centre"] = centre
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> Principal:
    """Check signature, issuer, audience and expiry; return the caller or raise AuthError."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE,
                            issuer=ISSUER, options={"require": ["exp", "sub", "iss", "aud"]})
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.InvalidTokenError as exc:
        raise AuthError(f"invalid token: {exc}") from None
    try:
        role = Role(claims.get("role", ""))
    except ValueError:
        raise AuthError(f"invalid token: unknown role {claims.get('role')!r}") from None
    try:
        return Principal(subject=claims["sub"], role=role, station=claims.get("station"),
                         institute=claims.get("institute"), centre=claims.get("centre"))
    except ValidationError as exc:
        raise AuthError(f"invalid token: malformed unit claim ({exc.error_count()} errors)") from None
