"""Signed bearer tokens (JWT, HS256) carrying who the caller is, their role and their unit."""

from __future__ import annotations

import time

import jwt
from pydantic import BaseModel, ConfigDict, ValidationError

from civiloop_contracts.values import Role

ISSUER = "civiloop"
AUDIENCE = "civiloop"
ALGORITHM = "HS256"


class AuthError(Exception):
    """A token that is missing, forged, expired or lacks a claim; the message says which."""


class Principal(BaseModel):
    """The verified caller: subject id, role, and the station / institute they act for."""

    model_config = ConfigDict(frozen=True)

    subject: str
    role: Role
    station: str | None = None
    institute: str | None = None

    def covers(self, station: str | None, institute: str | None = None) -> bool:
        """True when this caller may act on data of ``station`` (in ``institute``).

        The district admin and services see the whole district; a caller bound to an
        institute sees its stations; a caller bound to a station sees only that station.
        """
        if self.role in (Role.DISTRICT_ADMIN, Role.SERVICE):
            return True
        if self.station is not None:
            return station == self.station
        if self.institute is not None:
            return institute == self.institute
        return False


def mint_token(secret: str, *, subject: str, role: str, station: str | None = None,
               institute: str | None = None, ttl_s: int = 86400) -> str:
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
                         institute=claims.get("institute"))
    except ValidationError as exc:
        raise AuthError(f"invalid token: malformed unit claim ({exc.error_count()} errors)") from None
