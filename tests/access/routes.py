"""Every route of every service with the policy it names, read from the apps themselves."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from civiloop_platform.auth.deps import POLICY_ATTRIBUTE


@dataclass(frozen=True)
class Route:
    """One method and path of one service, and the policies its dependencies name."""

    service: str
    method: str
    path: str
    policies: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.service} {self.method} {self.path}"


def _policies(dependant: Dependant) -> list[str]:
    found = []
    for dependency in dependant.dependencies:
        name = getattr(dependency.call, POLICY_ATTRIBUTE, None)
        if name is not None:
            found.append(name)
        found += _policies(dependency)
    return found


def routes(service: str, app: FastAPI) -> tuple[list[Route], list[str]]:
    """The app's API routes, and the paths of anything else that is not its own docs or
    static files (each such path is a route without a policy)."""
    own_docs: set[str] = set(app.state.docs_paths)
    found, unnamed = [], []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if context.path in own_docs:
            continue  # the API's documentation is public, like the service's own docs
        if isinstance(route, APIRoute):
            names = tuple(_policies(route.dependant))
            found += [Route(service, method, str(context.path), names)
                      for method in sorted(context.methods or ())]
        elif not (isinstance(route, Mount) and isinstance(route.app, StaticFiles)):
            unnamed.append(f"{service} {context.path}")
    return found, unnamed


def _short(route: Route) -> str:
    """``GET /orders/{order_id}``: the path below the service's own /api/v1/<service>."""
    prefix = f"/api/v1/{route.service}/"
    path = route.path[len(prefix) - 1:] if route.path.startswith(prefix) else route.path
    return f"`{route.method} {path}`"


def policy_table(api: list[Route]) -> str:
    """The policy table of docs/architecture.md, from the policies and the apps' routes."""
    from civiloop_platform.auth.policy import EVERYONE, POLICY, Reach

    lines = ["| policy | what | roles | reach | routes |", "|---|---|---|---|---|"]
    for name, rule in POLICY.items():
        roles = ("anyone, no token" if rule.reach is Reach.PUBLIC else "everyone"
                 if rule.roles == EVERYONE else ", ".join(sorted(r.value for r in rule.roles)))
        parts = f" (by what is asked: {', '.join(f'`{p}`' for p in rule.parts)})" \
            if rule.parts else ""
        by_service: dict[str, list[str]] = {}
        for route in api:
            if route.policies == (name,):
                by_service.setdefault(route.service, []).append(_short(route))
        where = "; ".join(f"{service}: {', '.join(paths)}"
                          for service, paths in by_service.items()) or "(inside a route)"
        lines.append(f"| `{name}` | {rule.does}{parts} | {roles} | {rule.reach.value} | "
                     f"{where} |")
    return "\n".join(lines) + "\n"
