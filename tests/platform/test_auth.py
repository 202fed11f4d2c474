"""Bearer tokens: minted, verified, refused when forged or expired; roles and units enforced."""

from __future__ import annotations

import jwt
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civiloop_contracts.values import UnitRef
from civiloop_platform.auth import (
    POLICY,
    AccessDenied,
    AuthError,
    Principal,
    Reach,
    Role,
    Scope,
    authorize,
    cli,
    mint_token,
    verify_token,
)
from civiloop_platform.auth.deps import access_denied, policy

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


def test_a_centre_claim_round_trips() -> None:
    token = mint_token(SECRET, subject="d-1", role="dispatcher", centre="kunqu")
    assert verify_token(SECRET, token).centre == "kunqu"


KUNHE = UnitRef(centre="kunqu", institute="kunhe", station="wanhe")
YOUYI = UnitRef(centre="kunqu", institute="youyi", station="xincun")


@pytest.mark.parametrize(("principal", "unit", "allowed"), [
    (Principal(subject="a", role=Role.DISTRICT_ADMIN), YOUYI, True),
    (Principal(subject="a", role=Role.DISTRICT_ADMIN, centre="other"), YOUYI, False),
    (Principal(subject="s", role=Role.SERVICE), YOUYI, True),
    (Principal(subject="a", role=Role.STATION_OPERATOR, station="wanhe"), KUNHE, True),
    (Principal(subject="a", role=Role.STATION_OPERATOR, station="wanhe",
               institute="youyi"), KUNHE, False),  # a contradicting claim is not trusted
    (Principal(subject="a", role=Role.STATION_OPERATOR, station="wanhe"), YOUYI, False),
    (Principal(subject="a", role=Role.DISPATCHER, institute="kunhe"), KUNHE, True),
    (Principal(subject="a", role=Role.DISPATCHER, institute="kunhe"), YOUYI, False),
    (Principal(subject="a", role=Role.DISPATCHER, centre="kunqu"), YOUYI, True),
    (Principal(subject="a", role=Role.DISPATCHER), KUNHE, False),  # no unit: nowhere
    (Principal(subject="a", role=Role.RESIDENT, station="wanhe"), KUNHE, False),
    (Principal(subject="a", role=Role.VOLUNTEER, station="wanhe"), KUNHE, False),
])
def test_a_caller_covers_only_its_own_unit(principal: Principal, unit: UnitRef,
                                          allowed: bool) -> None:
    assert principal.covers(unit) is allowed


@pytest.mark.parametrize(("role", "claims"), [
    (Role.DISPATCHER, {}), (Role.STATION_OPERATOR, {}),
    (Role.STATION_OPERATOR, {"institute": "kunhe"}),  # an operator is bound to a station
])
def test_a_unit_bound_role_without_its_unit_is_refused_by_every_policy(
        role: Role, claims: dict[str, str]) -> None:
    principal = Principal(subject="x", role=role, **claims)
    for name, rule in POLICY.items():
        if rule.reach is not Reach.PUBLIC and role in rule.roles:
            with pytest.raises(AccessDenied, match=f"{role.value} token must name"):
                authorize(principal, name)


@pytest.mark.parametrize(("caller", "asked", "seen"), [
    (Scope(institute="kunhe"), {"station": "wanhe"}, Scope(institute="kunhe", station="wanhe")),
    (Scope(station="wanhe"), {}, Scope(station="wanhe")),
    (Scope(station="wanhe", institute="kunhe"), {"station": "wanhe", "institute": "kunhe"},
     Scope(station="wanhe", institute="kunhe")),
    (Scope(), {"institute": "youyi"}, Scope(institute="youyi")),
    (Scope(centre="kunqu"), {"station": "xincun"}, Scope(centre="kunqu", station="xincun")),
])
def test_a_listing_reads_the_part_of_the_asked_unit_the_caller_covers(
        caller: Scope, asked: dict[str, str], seen: Scope) -> None:
    assert caller.narrowed(**asked) == seen


@pytest.mark.parametrize(("caller", "asked", "why"), [
    (Scope(station="wanhe"), {"station": "xincun"}, "outside"),
    (Scope(institute="kunhe"), {"institute": "youyi"}, "outside"),
    (Scope(institute="kunhe"), {"station": "xincun", "institute": "youyi"}, "outside"),
    (Scope(station="wanhe", institute="kunhe"), {"institute": "kunhe"}, "wider"),
    (Scope(institute="kunhe"), {"centre": "kunqu"}, "wider"),
    (Scope(nowhere=True), {}, "lists no unit"),
])
def test_a_listing_beside_or_above_the_caller_s_unit_is_refused(
        caller: Scope, asked: dict[str, str], why: str) -> None:
    with pytest.raises(AccessDenied, match=why):
        caller.narrowed(**asked)


def test_a_scope_becomes_a_query_filter() -> None:
    assert Scope(institute="kunhe").match("unit") == {"unit.institute": "kunhe"}
    assert Scope().match("home") == {}
    assert Scope(nowhere=True).match() == {"unit.station": {"$in": []}}


def _app() -> FastAPI:
    app = FastAPI(exception_handlers={AccessDenied: access_denied})
    app.state.auth_secret = SECRET

    @app.get("/stations/{station}/queue")
    async def queue(station: str, who: Principal = Depends(policy("dispatch.queue")),  # noqa: B008
                    ) -> dict[str, str]:
        who.scope.narrowed(station=station)
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


def test_an_endpoint_refuses_a_dispatcher_token_without_a_unit_with_403() -> None:
    token = mint_token(SECRET, subject="d-1", role="dispatcher")
    status, body = _get("/stations/ST-2/queue", token)
    assert (status, "must name its institute or centre" in body) == (403, True)


def test_a_route_names_an_existing_policy_or_fails_when_declared() -> None:
    with pytest.raises(KeyError):
        policy("no.such.policy")


def test_a_token_with_a_malformed_unit_claim_is_refused_not_a_crash() -> None:
    token = jwt.encode({"iss": "civiloop", "aud": "civiloop", "sub": "x", "role": "resident",
                        "exp": 4102444800, "station": {"not": "a code"}}, SECRET, "HS256")
    with pytest.raises(AuthError, match="malformed unit claim"):
        verify_token(SECRET, token)


def test_the_token_command_refuses_a_dispatcher_without_a_unit_and_takes_a_centre() -> None:
    runner = CliRunner()
    refused = runner.invoke(cli.app, ["--role", "dispatcher"], env={"COLUMNS": "200"})
    assert refused.exit_code == 2
    assert "must name its institute or centre" in refused.output
    minted = runner.invoke(cli.app, ["--role", "dispatcher", "--centre", "kunqu",
                                     "--secret", SECRET])
    assert minted.exit_code == 0, minted.output
    assert verify_token(SECRET, minted.output.strip()).centre == "kunqu"
