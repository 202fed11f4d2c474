"""Bearer tokens: minted, verified, refused when forged or expired; roles and units enforced."""

from __future__ import annotations

import jwt
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from civiloop_platform.auth import AuthError, Principal, Role, mint_token, verify_token
from civiloop_platform.auth.deps import require_roles, require_station

SECRET = "s" * 40


def test_a_minted_token_verifies_to_its_claims() -> None:
    token = mint_token(SECRET, subject="op-1", role="station_operator", station="ST-WHYG")
    assert verify_token(SECRET, token) == Principal(
        subject="op-1", role=Role.STATION_OPERATOR, station="ST-WHYG")


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = mint_token("x" * 40, subject="op-1", role="dispatcher")
    with pytest.raises(AuthError, match="invalid token"):
        verify_token(SECRET, token)


def test_an_expired_token_is_refused() -> None:
    token = mint_token(SECRET, subject="v-1", role="volunteer", ttl_s=-60)
    with pytest.raises(AuthError, match="expired"):
        verify_token(SECRET, token)


def test_an_unknown_role_cannot_be_minted() -> None:
    with pytest.raises(ValueError, match="mayor"):
        mint_token(SECRET, subject="x", role="mayor")


@pytest.mark.parametrize(("principal", "station", "institute", "allowed"), [
    (Principal(subject="a", role=Role.DISTRICT_ADMIN), "ST-1", "IN-1", True),
    (Principal(subject="a", role=Role.STATION_OPERATOR, station="ST-1"), "ST-1", "IN-1", True),
    (Principal(subject="a", role=Role.STATION_OPERATOR, station="ST-1"), "ST-2", "IN-1", False),
    (Principal(subject="a", role=Role.DISPATCHER, institute="IN-1"), "ST-2", "IN-1", True),
    (Principal(subject="a", role=Role.DISPATCHER, institute="IN-1"), "ST-9", "IN-2", False),
    (Principal(subject="a", role=Role.RESIDENT), "ST-1", "IN-1", False),
])
def test_a_caller_covers_only_its_own_unit(principal: Principal, station: str, institute: str,
                                          allowed: bool) -> None:
    assert principal.covers(station, institute) is allowed


def _app() -> FastAPI:
    app = FastAPI()
    app.state.auth_secret = SECRET
    operator = require_roles(Role.STATION_OPERATOR, Role.DISTRICT_ADMIN)

    @app.get("/stations/{station}/queue")
    async def queue(station: str, who: Principal = Depends(operator)) -> dict[str, str]:  # noqa: B008
        require_station(who, station)
        return {"station": station, "by": who.subject}

    return app


def _get(path: str, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = TestClient(_app()).get(path, headers=headers)
    return response.status_code, response.text


def test_an_endpoint_admits_the_right_role_at_its_own_station() -> None:
    token = mint_token(SECRET, subject="op-1", role="station_operator", station="ST-1")
    assert _get("/stations/ST-1/queue", token) == (200, '{"station":"ST-1","by":"op-1"}')


def test_an_endpoint_refuses_a_missing_token_with_401() -> None:
    status, body = _get("/stations/ST-1/queue", None)
    assert (status, "missing bearer token" in body) == (401, True)


def test_an_endpoint_refuses_the_wrong_role_with_403_naming_it() -> None:
    token = mint_token(SECRET, subject="v-1", role="volunteer")
    status, body = _get("/stations/ST-1/queue", token)
    assert status == 403
    assert "role volunteer may not" in body


def test_an_endpoint_refuses_another_station_with_403() -> None:
    token = mint_token(SECRET, subject="op-1", role="station_operator", station="ST-1")
    status, body = _get("/stations/ST-2/queue", token)
    assert (status, "ST-2" in body) == (403, True)


def test_a_token_with_a_malformed_unit_claim_is_refused_not_a_crash() -> None:
    token = jwt.encode({"iss": "civiloop", "aud": "civiloop", "sub": "x", "role": "resident",
                        "exp": 4102444800, "station": {"not": "a code"}}, SECRET, "HS256")
    with pytest.raises(AuthError, match="malformed unit claim"):
        verify_token(SECRET, token)
