"""The sign-in routes: /auth/me tells a good token from a bad one; dev tokens only off production."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from civiloop_platform.auth import mint_token, verify_token
from civiloop_platform.auth.session import session_router

SECRET = "s" * 40


def _client(env: str) -> TestClient:
    app = FastAPI()
    app.state.auth_secret = SECRET
    app.state.runtime = SimpleNamespace(settings=SimpleNamespace(civiloop_env=env))
    app.include_router(session_router("requests"))
    return TestClient(app)


def test_me_answers_a_good_token_with_its_claims() -> None:
    token = mint_token(SECRET, subject="res-1", role="resident", station="wanhe",
                       institute="kunhe")
    reply = _client("production").get("/api/v1/requests/auth/me",
                                      headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    assert reply.json() == {"subject": "res-1", "role": "resident", "station": "wanhe",
                            "institute": "kunhe", "centre": None}


@pytest.mark.parametrize(("token", "why"), [
    ("not-a-token", "invalid token"),
    (mint_token("x" * 40, subject="a", role="dispatcher"), "Signature"),
    (mint_token(SECRET, subject="a", role="dispatcher", ttl_s=-5), "expired"),
])
def test_me_refuses_a_bad_token_and_says_why(token: str, why: str) -> None:
    reply = _client("development").get("/api/v1/requests/auth/me",
                                       headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 401
    assert why in reply.json()["detail"]


def test_a_development_token_is_minted_for_the_role_and_unit_asked() -> None:
    reply = _client("development").post("/api/v1/requests/auth/dev-token", json={
        "role": "station_operator", "subject": "op-1", "station": "wanhe",
        "institute": "kunhe"})
    assert reply.status_code == 200, reply.text
    principal = verify_token(SECRET, reply.json()["token"])
    assert (principal.role.value, principal.subject, principal.station) == (
        "station_operator", "op-1", "wanhe")


def test_development_tokens_are_refused_in_production() -> None:
    reply = _client("production").post("/api/v1/requests/auth/dev-token",
                                       json={"role": "district_admin"})
    assert reply.status_code == 403
    assert "production" in reply.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"role": "mayor"}, "role"),
    ({"role": "resident", "station": "wanhe"}, "institute"),
    ({"role": "resident", "subject": "has space"}, "subject"),
])
def test_a_bad_dev_token_request_names_the_field(body: dict[str, str], field: str) -> None:
    reply = _client("test").post("/api/v1/requests/auth/dev-token", json=body)
    assert reply.status_code == 422
    assert field in [e["loc"][-1] for e in reply.json()["detail"]]
