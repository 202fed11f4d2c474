"""Every route's OpenAPI names the refusals its policy and shape allow, in one error model."""

from __future__ import annotations

from typing import Any

import pytest

from civiloop_platform.auth.policy import POLICY, Reach
from tests.access.routes import Route, routes
from tests.access.stack import build_apps

ERROR_MODELS = {"#/components/schemas/Refusal", "#/components/schemas/Problems",
                "#/components/schemas/Open311Errors"}
"""The platform's two shapes, and Open311's list of {code, description} (its spec's)."""


@pytest.fixture(scope="module")
def documented() -> list[tuple[Route, dict[str, Any]]]:
    """Each route of the five apps with its OpenAPI operation."""
    found = []
    for service, app in build_apps("kunqu", "refusals").items():
        paths = app.openapi()["paths"]
        found += [(route, paths[route.path][route.method.lower()])
                  for route in routes(service, app)[0]
                  if route.path in paths]  # a page (the dashboard) is not in the API's document
    return found


def test_a_route_that_needs_a_token_documents_401_and_403(
        documented: list[tuple[Route, dict[str, Any]]]) -> None:
    wrong = []
    for route, operation in documented:
        needs_token = POLICY[route.policies[0]].reach is not Reach.PUBLIC
        has = {"401", "403"} <= set(operation["responses"])
        if needs_token != has and not (route.path.startswith("/open311/") and not needs_token):
            wrong.append(f"{route} ({route.policies[0]}): {sorted(operation['responses'])}")
    assert wrong == []
    assert len(documented) > 60


def test_an_id_in_the_path_can_be_unknown_and_a_change_can_conflict(
        documented: list[tuple[Route, dict[str, Any]]]) -> None:
    wrong = [f"{route}: {sorted(op['responses'])}" for route, op in documented
             if ("{" in route.path and "404" not in op["responses"])
             or (route.method != "GET" and not {"409", "413"} <= set(op["responses"]))
             or "422" not in op["responses"]]
    assert wrong == []


def test_every_refusal_has_one_of_the_error_models(
        documented: list[tuple[Route, dict[str, Any]]]) -> None:
    wrong = []
    for route, operation in documented:
        for code, response in operation["responses"].items():
            if not code.startswith("4"):
                continue
            refs = {m.get("schema", {}).get("$ref") for m in response.get("content", {}).values()}
            if not refs or not refs <= ERROR_MODELS:
                wrong.append(f"{route} {code}: {refs}")
    assert wrong == []
