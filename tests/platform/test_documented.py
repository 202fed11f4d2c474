"""The platform documents each route's refusals in its OpenAPI, from its policy and its shape."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel

from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.documented import document_refusals


class Body(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/menu", dependencies=[Depends(policy("menu.read"))])
    async def menu() -> list[str]:
        return []

    @app.get("/orders/{order_id}", dependencies=[Depends(policy("orders.read"))],
             responses={404: {"description": "No such order"}})
    async def order(order_id: str) -> str:
        return order_id

    @app.post("/orders", dependencies=[Depends(policy("orders.place"))],
              responses={400: {"description": "its own", "content": {"application/json": {
                  "schema": {"type": "array"}}}}})
    async def place(body: Body) -> str:
        return body.name

    document_refusals(app)
    return app


def _responses(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]["responses"]
    return found


def _model(response: dict[str, Any]) -> str:
    return str(response["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


def test_a_public_route_documents_no_token_refusal() -> None:
    document = _app().openapi()
    assert set(_responses(document, "/menu", "get")) == {"200", "422"}


def test_a_route_needing_a_token_documents_401_403_and_an_unknown_id() -> None:
    responses = _responses(_app().openapi(), "/orders/{order_id}", "get")
    assert {"401", "403", "404", "422"} <= set(responses)
    assert "409" not in responses  # a read cannot conflict
    assert responses["404"]["description"] == "No such order"  # the route's words stay
    assert {_model(responses[c]) for c in ("401", "403", "404")} == {"Refusal"}
    assert _model(responses["422"]) == "Problems"


def test_a_change_documents_conflict_and_size_and_keeps_its_own_models() -> None:
    document = _app().openapi()
    responses = _responses(document, "/orders", "post")
    assert {"401", "403", "409", "413", "422"} <= set(responses)
    assert _model(responses["413"]) == "Problems"
    assert responses["400"]["content"]["application/json"]["schema"] == {"type": "array"}
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas  # one model for bad input: Problems
    assert schemas["Problems"]["properties"]["detail"]["items"] == {
        "$ref": "#/components/schemas/Problem"}
    assert schemas["Refusal"]["properties"]["detail"]["type"] == "string"
