"""Every route's OpenAPI names each refusal it can answer, in the two shapes the edge uses.

The app factory calls ``document_refusals`` once its routers are in: from the route's policy
(a public route never answers 401 or 403), its path (an id in it can be unknown: 404) and its
method (a change can conflict: 409; a body can be too large: 413). A route that documents a
status itself (Open311's error list) keeps its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from starlette.routing import BaseRoute

from civiloop_platform.auth.deps import POLICY_ATTRIBUTE
from civiloop_platform.auth.policy import POLICY, Reach

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_REF = "#/components/schemas/"
_DEFAULT_422 = f"{_REF}HTTPValidationError"


class Problem(BaseModel):
    """One thing wrong with a request: where, what, and its kind."""

    loc: list[str | int] = Field(description="Where: query, path or body, then the field.",
                                 examples=[["body", "window", "end"]])
    msg: str = Field(examples=["end must be after start"])
    type: str = Field(examples=["value_error"])


class Problems(BaseModel):
    """A request refused for what is in it (422, or 413 for a body too large)."""

    detail: list[Problem]


class Refusal(BaseModel):
    """A request refused for who asks or what it names (401, 403, 404, 409): why, in words."""

    detail: str = Field(examples=["order o-1 is not visible to this resident"])


_WHY = {401: "No token, or a token that is not valid",
        403: "The caller's role or unit may not do this",
        404: "Something the path names does not exist",
        409: "The change conflicts with the record's state",
        413: "The body is too large",
        422: "The request breaks a rule; each problem names its field"}


def _policy_of(dependant: Dependant) -> str | None:
    """The name of the policy a route's dependencies follow."""
    for dependency in dependant.dependencies:
        name = getattr(dependency.call, POLICY_ATTRIBUTE, None) or _policy_of(dependency)
        if name is not None:
            return str(name)
    return None


def refusals(policy: str | None, path: str, methods: set[str]) -> set[int]:
    """The refusal statuses a route following ``policy`` at ``path`` can answer."""
    codes = {422}  # the edge guard refuses what no route may take, on every route
    rule = POLICY.get(policy or "")
    if rule is None or rule.reach is not Reach.PUBLIC:
        codes |= {401, 403}
    if "{" in path:
        codes.add(404)
    if methods & CHANGES:
        codes |= {409, 413}
    return codes


def _schemas() -> dict[str, Any]:
    """The error models as OpenAPI components."""
    found: dict[str, Any] = {}
    for model in (Problems, Refusal):
        schema = model.model_json_schema(ref_template=f"{_REF}{{model}}")
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return found


def _content(code: int) -> dict[str, Any]:
    model = "Problems" if code in (413, 422) else "Refusal"
    return {"application/json": {"schema": {"$ref": f"{_REF}{model}"}}}


def _documented(responses: dict[str, Any], codes: set[int]) -> None:
    """Add ``codes`` to ``responses``; give each refusal a route described in words only
    (or with FastAPI's own 422 model) the platform's model."""
    for code in codes:
        responses.setdefault(str(code), {"description": _WHY[code]})
    for key, response in responses.items():
        if key.startswith("4") and key.isdigit() and (
                "content" not in response or _DEFAULT_422 in str(response["content"])):
            response["content"] = _content(int(key))


def add_refusals(document: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """``document`` with each route's refusals in its ``responses``; FastAPI's own 422 model
    gives way to ``Problems`` (the same shape, without the echoed input)."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
    for context in iter_route_contexts(routes):
        route, path = context.original_route, str(context.path_format)
        operations = document["paths"].get(path, {})
        if not isinstance(route, APIRoute):
            continue
        methods = set(context.methods or ())
        for method in methods:
            operation = operations.get(method.lower())
            if operation is not None:
                _documented(operation.setdefault("responses", {}),
                            refusals(_policy_of(route.dependant), path, methods))
    schemas = document["components"]["schemas"]
    if _DEFAULT_422 not in str(document["paths"]):
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
    return document


def document_refusals(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI name each route's refusals (see ``add_refusals``)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_refusals(plain(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
