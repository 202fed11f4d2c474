"""Sign-in helpers every service serves: who a token says the caller is, and development tokens.

``GET /api/v1/<service>/auth/me`` answers any valid token with its verified claims, so a
sign-in page can tell a good token from a bad one (401 says why). ``POST …/auth/dev-token``
mints a token for a chosen role while ``CIVILOOP_ENV`` is development or test; in production
it is refused (403): production tokens come from the district's own sign-in, never from here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

from civiloop_contracts.values import Id, Role, UnitCode
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.policy import scope_for
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.tokens import Principal, mint_token

DEV_TTL_S = 12 * 3600  # a working day; a development token is minted again at will


class DevTokenRequest(BaseModel):
    """Who the development token speaks for: a role, an id, and the unit it acts for."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"role": "resident", "subject": "res-zhang", "station": "wanhe-yangguang",
         "institute": "kunhe"}]})

    role: Role
    subject: Id = "dev"
    station: UnitCode | None = None
    institute: UnitCode | None = Field(default=None, description="Required with a station.")
    centre: UnitCode | None = Field(default=None, description="A centre dispatcher's or "
                                    "district admin's centre.")


class DevToken(BaseModel):
    """A signed bearer token and the claims it carries."""

    token: str
    principal: Principal
    expires_in_s: int


def session_router(service_name: str) -> APIRouter:
    """The sign-in routes under ``/api/v1/<service_name>/auth``."""
    router = APIRouter(prefix=f"/api/v1/{service_name}/auth", tags=["sign-in"])

    @router.get("/me", summary="Who this token says the caller is (401 says why not)")
    async def me(principal: Annotated[Principal, Depends(policy("auth.me"))]) -> Principal:
        """The verified caller: id, role, station and institute."""
        return principal

    @router.post("/dev-token", summary="Mint a token for a role (development only)",
                 responses={403: {"description": "Refused in production"}},
                 dependencies=[Depends(policy("auth.dev_token"))])
    async def dev_token(body: DevTokenRequest, request: Request) -> DevToken:
        """A token for ``role`` signed with this deployment's secret; refused in production."""
        if request.app.state.runtime.settings.civiloop_env == "production":
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                "development tokens are refused in production: sign in with "
                                "a token issued by the district")
        if body.station is not None and body.institute is None:
            raise HTTPException(422, [{"loc": ["body", "institute"], "type": "missing",
                                       "msg": "a station belongs to an institute: set it too"}])
        try:  # a token every service would refuse is no use to anyone
            scope_for(body.role, body.centre, body.institute, body.station)
        except AccessDenied as exc:
            raise HTTPException(422, [{"loc": ["body", "station"], "type": "missing",
                                       "msg": str(exc)}]) from None
        token = mint_token(request.app.state.auth_secret, subject=body.subject,
                           role=body.role.value, station=body.station,
                           institute=body.institute, centre=body.centre, ttl_s=DEV_TTL_S)
        principal = Principal(subject=body.subject, role=body.role, station=body.station,
                              institute=body.institute, centre=body.centre)
        return DevToken(token=token, principal=principal, expires_in_s=DEV_TTL_S)

    return router
