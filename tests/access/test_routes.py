"""Every route of the five services names its access policy, and the matrix has a probe for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from civiloop_platform.auth.policy import POLICY
from tests.access.probes import PROBES
from tests.access.routes import Route, policy_table, routes
from tests.access.stack import build_apps


@pytest.fixture(scope="module")
def every_route() -> tuple[list[Route], list[str]]:
    """Routes of the five apps as built for production (not started)."""
    found: list[Route] = []
    unnamed: list[str] = []
    for service, app in build_apps("kunqu", "routes").items():
        api, other = routes(service, app)
        found += api
        unnamed += other
    return found, unnamed


def test_every_route_names_exactly_one_known_policy(
        every_route: tuple[list[Route], list[str]]) -> None:
    api, unnamed = every_route
    assert unnamed == [], "routes outside FastAPI's docs and static files need a policy"
    wrong = [f"{r}: {r.policies}" for r in api if len(r.policies) != 1
             or r.policies[0] not in POLICY]
    assert wrong == [], "each route names one policy (public ones too)"
    assert len(api) > 60  # the enumeration reached every service's routers


def test_every_route_has_a_probe_for_its_policy_and_each_of_its_parts(
        every_route: tuple[list[Route], list[str]]) -> None:
    api, _ = every_route
    probed: dict[tuple[str, str, str], set[str]] = {}
    for probe in PROBES:
        route = next((r for r in api if (r.service, r.method, r.path) ==
                      (probe.service, probe.method, probe.template)), None)
        assert route is not None, f"probe {probe} calls no route"
        rule = POLICY[route.policies[0]]
        tested = probe.rule or route.policies[0]
        assert tested == route.policies[0] or tested in rule.parts, f"{probe} tests {tested}"
        probed.setdefault((route.service, route.method, route.path), set()).add(tested)
    for route in api:
        rule = POLICY[route.policies[0]]
        wanted = set(rule.parts) or {route.policies[0]}
        assert probed.get((route.service, route.method, route.path)) == wanted, \
            f"{route} needs a probe of {sorted(wanted)}"


def test_the_architecture_doc_shows_the_policy_table(
        every_route: tuple[list[Route], list[str]]) -> None:
    table = policy_table(every_route[0])
    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    assert table in doc, f"docs/architecture.md should hold this table:\n\n{table}"
