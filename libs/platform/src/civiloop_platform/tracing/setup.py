"""Turning tracing on: OTLP over HTTP, only when an endpoint is configured."""

from __future__ import annotations

import sys

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Tracer
from pydantic import AnyHttpUrl, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from civiloop_platform.tracing.ids import CorrelationIdGenerator


class TracingSettings(BaseSettings):
    """OpenTelemetry's own variables that civiloop reads (the SDK reads OTEL_BSP_* etc. itself)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    # Tracing is off unless one of these is set: the collector's base URL (/v1/traces is
    # appended), or the full URL of its traces endpoint.
    otel_exporter_otlp_endpoint: AnyHttpUrl | None = None
    otel_exporter_otlp_traces_endpoint: AnyHttpUrl | None = None
    # The share of stories traced. Trace ids come from correlation ids, so every service
    # decides alike for one story without asking the others.
    otel_traces_sampler_arg: float = Field(default=1.0, ge=0.0, le=1.0)
    otel_sdk_disabled: bool = False

    @property
    def traces_endpoint(self) -> str | None:
        """Where spans go, or None (tracing off)."""
        if self.otel_sdk_disabled:
            return None
        if self.otel_exporter_otlp_traces_endpoint is not None:
            return str(self.otel_exporter_otlp_traces_endpoint)
        if self.otel_exporter_otlp_endpoint is not None:
            return str(self.otel_exporter_otlp_endpoint).rstrip("/") + "/v1/traces"
        return None


class _State:
    """The tracer in use; None while tracing is off."""

    tracer: Tracer | None = None

    @property
    def enabled(self) -> bool:
        """True while spans are recorded and exported."""
        return self.tracer is not None


state = _State()


def new_provider(service_name: str, ratio: float = 1.0) -> TracerProvider:
    """A provider whose trace ids follow correlation ids, sampling ``ratio`` of the stories."""
    return TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}),
                          id_generator=CorrelationIdGenerator(),
                          sampler=ParentBased(TraceIdRatioBased(ratio)))


def use(provider: TracerProvider | None) -> None:
    """Record spans with ``provider`` from now on (None: tracing off)."""
    state.tracer = provider.get_tracer("civiloop") if provider is not None else None


def configure(service_name: str) -> bool:
    """Export this process's spans by OTLP if the environment says where; True if on.

    Once per process: later calls (several apps in one test process) change nothing.
    """
    if state.enabled:
        return True
    try:
        settings = TracingSettings()
    except ValidationError as exc:  # fail at start, as ServiceSettings does
        lines = [f"  {'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
        sys.stderr.write("civiloop: invalid tracing settings:\n" + "\n".join(lines) + "\n")
        raise SystemExit(2) from None
    endpoint = settings.traces_endpoint
    if endpoint is None:
        return False
    provider = new_provider(service_name, settings.otel_traces_sampler_arg)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    use(provider)
    return True
