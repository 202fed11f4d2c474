"""The fuzz run fails on what it is meant to catch: a status the OpenAPI does not document."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from schemathesis.python import asgi

from tests.fuzz.fuzzing import fuzz
from tests.fuzz.stack import Running


def _running(documented: bool) -> Running:
    """A one-route app answering 404; documented as a possible reply, or not."""
    app = FastAPI()
    responses: dict[int | str, dict[str, Any]] = {404: {"description": "Not found"}} \
        if documented else {}

    @app.get("/things/{thing_id}", responses=responses)
    async def thing(thing_id: str) -> JSONResponse:
        return JSONResponse({"detail": f"no thing {thing_id!r}"[:40]}, status_code=404)

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return Running("tiny", app, schema, asgi.get_client(app), "none")  # type: ignore[arg-type]


def test_an_undocumented_status_fails_the_run() -> None:
    report = fuzz(_running(documented=False))
    assert report.failures, "a 404 the OpenAPI does not name went unnoticed"
    assert any("404" in failure for failure in report.failures)


def test_a_documented_status_passes() -> None:
    report = fuzz(_running(documented=True))
    assert report.calls > 10
    assert report.failures == []
