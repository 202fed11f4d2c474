"""The OpenAPI page documents every endpoint: a summary, and examples for what is sent."""

from __future__ import annotations

from typing import Any

from civiloop_requests.bootstrap import build_app
from civiloop_requests.config import Settings

METHODS = ("get", "post", "put", "delete")


def _document() -> dict[str, Any]:
    app = build_app(Settings(civiloop_env="test"))
    document: dict[str, Any] = app.openapi()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items()
            for method, op in item.items() if method in METHODS]


def _has_example(node: Any, schemas: dict[str, Any]) -> bool:
    """Whether a body schema (following a $ref) carries an example."""
    if isinstance(node, dict):
        if "example" in node or "examples" in node:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str):
            return _has_example(schemas[ref.rsplit("/", 1)[1]], schemas)
    return False


def test_every_operation_has_a_summary_and_every_body_an_example() -> None:
    document = _document()
    schemas = document["components"]["schemas"]
    operations = [o for o in _operations(document) if o[0].startswith(("/api/", "/open311/"))]
    assert len(operations) >= 20
    for path, method, op in operations:
        assert op.get("summary"), f"{method} {path} has no summary"
        body = op.get("requestBody", {}).get("content", {})
        for media in body.values():
            assert _has_example(media, schemas) or _has_example(media.get("schema"), schemas), \
                f"{method} {path} has no request example"


def test_order_responses_show_an_example() -> None:
    schemas = _document()["components"]["schemas"]
    for name in ("OrderView", "TimelineView", "SurveyView"):
        assert schemas[name].get("examples"), name
