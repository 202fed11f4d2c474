"""The FastAPI edge every service shares: lifespan, health, metrics, correlation ids."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException

from civiloop_platform import tracing
from civiloop_platform.auth.deps import access_denied, policy
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.session import session_router
from civiloop_platform.edge.documented import document_refusals
from civiloop_platform.edge.guard import RequestGuard
from civiloop_platform.edge.problems import on_http_error, on_invalid_request
from civiloop_platform.edge.usecase import Refusals, refusal_handlers
from civiloop_platform.live.auth import QueryTokenOnLiveRoutes
from civiloop_platform.logs import configure_logging, correlation_context
from civiloop_platform.runtime import Runtime, ServiceSpec
from civiloop_platform.settings import ServiceSettings, load_settings

S = TypeVar("S", bound=ServiceSettings)
CORRELATION_HEADER = "X-Correlation-ID"
DOCS_REDIRECTS = ("/docs", "/redoc", "/openapi.json")
"""FastAPI's usual docs paths, redirected to the service's own (public, like the docs)."""
health = APIRouter(tags=["operations"], dependencies=[Depends(policy("operations"))])


@health.get("/healthz", summary="Liveness: the process answers")
async def healthz(request: Request) -> dict[str, str]:
    """200 while the process is alive and its event loop answers."""
    return {"status": "ok", "service": request.app.state.runtime.settings.service_name}


@health.get("/readyz", summary="Readiness: MongoDB, Kafka and every loop are working")
async def readyz(request: Request) -> JSONResponse:
    """200 with each check when all pass, 503 naming the failing ones otherwise."""
    checks = await request.app.state.runtime.readiness()
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks},
                        status_code=200 if ok else 503)


@health.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics() -> Response:
    """Consumer lag, events handled / failed / dead-lettered, outbox backlog, and more."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


ExceptionHandler = Callable[[Request, Any], Coroutine[Any, Any, Response]]


def create_app(spec: ServiceSpec, *, routers: list[APIRouter], title: str,
               description: str = "",
               exception_handlers: dict[int | type[Exception], ExceptionHandler] | None = None,
               refusals: Refusals | None = None) -> FastAPI:
    """The service's FastAPI app; its lifespan starts and stops the runtime.

    ``refusals`` names the kind (status) of each domain refusal its use cases may raise.
    """
    configure_logging(spec.settings.service_name, spec.settings.log_level)
    tracing.configure(spec.settings.service_name)
    runtime = Runtime(spec)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await runtime.start()  # a failed start still stops what it had started
            yield
        finally:
            await runtime.stop()

    # Bad input is a 4xx in one shape (civiloop_platform.edge); services map their domain
    # refusals to 4xx here too; anything else stays a 500.
    handlers: dict[int | type[Exception], ExceptionHandler] = {
        RequestValidationError: on_invalid_request, HTTPException: on_http_error,
        AccessDenied: access_denied, **refusal_handlers(refusals or {}),
        **(exception_handlers or {})}
    app = _offline_docs_app(
        api_prefix(spec.settings.service_name), title=title, description=description,
        lifespan=lifespan, exception_handlers=handlers)
    app.state.runtime = runtime
    app.state.auth_secret = spec.settings.auth_secret.get_secret_value()
    app.include_router(health)
    app.include_router(session_router(spec.settings.service_name))
    for router in routers:
        app.include_router(router)
    document_refusals(app)
    app.add_middleware(RequestGuard)  # inside _correlation: refusals carry the id too
    app.middleware("http")(_correlation)
    app.add_middleware(QueryTokenOnLiveRoutes)
    return app


def api_prefix(service_name: str) -> str:
    """Where a service's API lives: ``/api/v1/<service>`` (its docs too, behind the gateway)."""
    return f"/api/v1/{service_name}"


def _offline_docs_app(prefix: str, **kwargs: Any) -> FastAPI:
    """A FastAPI app whose Swagger UI and ReDoc load their assets from this service.

    The docs live under the API prefix so that one URL works on the service's port and
    through the gateway; the old root URLs redirect there.
    """
    app = FastAPIOffline(
        docs_url=f"{prefix}/docs", redoc_url=f"{prefix}/redoc",
        openapi_url=f"{prefix}/openapi.json", static_url=f"{prefix}/docs-assets",
        swagger_ui_oauth2_redirect_url=f"{prefix}/docs/oauth2-redirect",
        # Swagger UI would send the document to an online validator for its badge.
        swagger_ui_parameters={"validatorUrl": None}, **kwargs)
    for old in DOCS_REDIRECTS:
        app.add_api_route(old, _redirect(f"{prefix}{old}"), include_in_schema=False)
    app.state.docs_paths = docs_paths(prefix)
    return app


def docs_paths(prefix: str) -> frozenset[str]:
    """Every path of the API's documentation (public, like the service's docs everywhere)."""
    return frozenset({f"{prefix}/docs", f"{prefix}/redoc", f"{prefix}/openapi.json",
                      f"{prefix}/docs/oauth2-redirect", *DOCS_REDIRECTS})


def _redirect(target: str) -> Callable[[Request], Awaitable[Response]]:
    async def moved(request: Request) -> Response:
        return RedirectResponse(f"{request.scope.get('root_path', '')}{target}")
    return moved


async def _correlation(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Carry the caller's correlation id (or a new one) through logs and back in the reply."""
    # Capped as events cap it: a caller's id may end up in an envelope's correlationid.
    correlation_id = (request.headers.get(CORRELATION_HEADER) or tracing.caller_correlation(request)
                      or str(uuid.uuid4()))[:128]
    request.state.correlation_id = correlation_id
    with correlation_context(correlation_id):
        response = await tracing.traced(request, correlation_id, call_next)
    response.headers[CORRELATION_HEADER] = correlation_id
    return response


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run ``app`` under uvicorn until SIGINT/SIGTERM, then shut down gracefully."""
    uvicorn.run(app, host=host, port=port, log_config=None, timeout_graceful_shutdown=20)


def run_service(settings_cls: type[S], build_app: Callable[[S], FastAPI]) -> None:
    """Read settings (exiting with a clear message if they are bad), then serve the app."""
    settings = load_settings(settings_cls)
    serve(build_app(settings), settings.http_host, settings.http_port)
