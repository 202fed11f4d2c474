"""The spans of a story: an HTTP request, an event made, an event handled.

Each span lands in the trace of its story's correlation id. Its parent is the span that
caused it when that span is in the same story (the caller's ``traceparent`` header, or the
event's ``traceparent`` attribute, stamped when the event was made); otherwise it starts the
story's trace and links to the span that caused it. So one order's steps, in any service,
by HTTP or by Kafka, form one trace.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanContext, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.requests import Request
from starlette.responses import Response

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import REGISTRY
from civiloop_platform.tracing.ids import correlation_of, rooted_in, trace_id_of
from civiloop_platform.tracing.setup import state

_w3c = TraceContextTextMapPropagator()
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: not part of any story."""


def _remote(traceparent: str | None) -> SpanContext | None:
    """The span context a W3C ``traceparent`` names, or None if it names none."""
    if not traceparent:
        return None
    context = trace.get_current_span(_w3c.extract({"traceparent": traceparent})).get_span_context()
    return context if context.is_valid else None


def _start(name: str, kind: SpanKind, correlation_id: str, cause: SpanContext | None,
           attributes: dict[str, str]) -> Span:
    """A span in the story's trace: a child of ``cause`` if it is in that story, else linked."""
    tracer = state.tracer
    assert tracer is not None, "spans are started only while tracing is on"
    trace_id = trace_id_of(correlation_id)
    if cause is not None and cause.trace_id == trace_id:
        parent = trace.set_span_in_context(trace.NonRecordingSpan(cause), Context())
        return tracer.start_span(name, context=parent, kind=kind, attributes=attributes)
    links = [Link(cause)] if cause is not None else []
    with rooted_in(trace_id):
        return tracer.start_span(name, context=Context(), kind=kind, links=links,
                                 attributes={**attributes, "civiloop.story_root": "true"})


def caller_correlation(request: Request) -> str | None:
    """For a caller that sent a ``traceparent`` but no correlation id: its trace, as one."""
    if not state.enabled:
        return None
    cause = _remote(request.headers.get("traceparent"))
    return correlation_of(cause.trace_id) if cause is not None else None


async def traced(request: Request, correlation_id: str,
                 call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Run the request inside a server span of its story (tracing on; probes never)."""
    if not state.enabled or request.url.path in QUIET_PATHS:
        return await call_next(request)
    span = _start(request.method, SpanKind.SERVER, correlation_id,
                  _remote(request.headers.get("traceparent")),
                  {"http.request.method": request.method, "url.path": request.url.path,
                   "civiloop.correlation_id": correlation_id})
    with trace.use_span(span, end_on_exit=True):
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", None)
        if route:
            span.update_name(f"{request.method} {route}")
            span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:
            span.set_status(Status(StatusCode.ERROR))
        return response


def _event_attributes(envelope: Envelope) -> dict[str, str]:
    model = REGISTRY.models.get(envelope.type)
    attributes = {"messaging.system": "kafka", "messaging.message.id": envelope.id,
                  "civiloop.event_type": envelope.type, "civiloop.key": envelope.partitionkey,
                  "civiloop.correlation_id": envelope.correlationid}
    if model is not None:
        attributes["messaging.destination.name"] = model.topic
    if envelope.causationid:
        attributes["civiloop.causation_id"] = envelope.causationid
    unit = envelope.data.get("unit")
    if isinstance(unit, dict) and isinstance(unit.get("centre"), str):
        attributes["civiloop.centre"] = unit["centre"]  # the district (docs/districts.md)
    return attributes


def stamp(envelope: Envelope) -> Envelope:
    """The envelope with the trace context of its making (a short span), if tracing is on."""
    if not state.enabled or envelope.traceparent:
        return envelope
    made = trace.get_current_span().get_span_context()
    span = _start(f"create {_short(envelope.type)}", SpanKind.PRODUCER, envelope.correlationid,
                  made if made.is_valid else None,
                  {**_event_attributes(envelope), "messaging.operation.type": "create"})
    span.end()
    carrier: dict[str, str] = {}
    _w3c.inject(carrier, trace.set_span_in_context(span))
    return envelope.model_copy(update={"traceparent": carrier.get("traceparent")})


@contextmanager
def handling(envelope: Envelope) -> Iterator[None]:
    """Within this block, a consumer span for ``envelope`` is current (tracing on)."""
    if not state.enabled:
        yield
        return
    span = _start(f"process {_short(envelope.type)}", SpanKind.CONSUMER, envelope.correlationid,
                  _remote(envelope.traceparent),
                  {**_event_attributes(envelope), "messaging.operation.type": "process"})
    with trace.use_span(span, end_on_exit=True):
        yield


def _short(event_type: str) -> str:
    return event_type.removeprefix("civiloop.")
