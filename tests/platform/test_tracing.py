"""Tracing: one trace per correlation id, parents across HTTP and Kafka hops (in-memory spans)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import caused_by, make_event
from civiloop_platform import tracing, web
from civiloop_platform.logs import correlation_context, event_context, in_current_story
from civiloop_platform.tracing.ids import correlation_of, trace_id_of
from civiloop_platform.tracing.setup import new_provider, use
from tests.platform.probe import ProbeHappened


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on, into memory, for one test; off again after it."""
    exporter = InMemorySpanExporter()
    provider = new_provider("probe")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    use(provider)
    yield exporter
    use(None)


def event(correlation_id: str | None = None) -> Envelope:
    return make_event(ProbeHappened(probe_id="p-1", n=1), source="/test",
                      correlation_id=correlation_id)


def by_name(exporter: InMemorySpanExporter) -> dict[str, ReadableSpan]:
    return {s.name: s for s in exporter.get_finished_spans()}


def test_a_uuid_correlation_id_is_its_trace_id_and_other_ids_hash_to_one() -> None:
    story = str(uuid.uuid4())
    assert trace_id_of(story) == uuid.UUID(story).int
    assert correlation_of(trace_id_of(story)) == story
    assert trace_id_of("req-42") == trace_id_of("req-42") != trace_id_of("req-43")


def test_an_event_made_while_handling_another_is_its_child_in_the_same_trace(
        spans: InMemorySpanExporter) -> None:
    first = event()
    with event_context(first):  # what the consumer loop opens around a handler
        second = tracing.stamp(caused_by(ProbeHappened(probe_id="p-1", n=2), first,
                                         source="/test"))
    with event_context(second):
        pass
    # In the order they ended: the create span inside the first handling, then each handling.
    create, process_first, process_second = spans.get_finished_spans()
    trace_id = trace_id_of(first.correlationid)
    assert {s.context.trace_id for s in (process_first, create, process_second)} == {trace_id}
    assert process_first.parent is None, "the story's first event starts its trace"
    assert create.parent is not None
    assert create.parent.span_id == process_first.context.span_id
    assert process_second.parent is not None
    assert process_second.parent.span_id == create.context.span_id
    assert (create.kind, process_second.kind) == (SpanKind.PRODUCER, SpanKind.CONSUMER)
    assert second.traceparent is not None
    assert second.traceparent.startswith(f"00-{trace_id:032x}-{create.context.span_id:016x}-")


def test_an_event_of_another_story_starts_its_own_trace_linked_to_its_maker(
        spans: InMemorySpanExporter) -> None:
    with event_context(event()):
        other = tracing.stamp(event(correlation_id="another-story"))
    create = by_name(spans)["create ProbeHappened"]
    maker = by_name(spans)["process ProbeHappened"]
    assert create.context.trace_id == trace_id_of("another-story") != maker.context.trace_id
    assert create.parent is None
    assert [link.context.span_id for link in create.links] == [maker.context.span_id]
    assert other.traceparent is not None


def test_spans_name_the_district_of_the_events_unit(spans: InMemorySpanExporter) -> None:
    placed = make_event(ProbeHappened(probe_id="p-1", n=1), source="/test").model_copy(
        update={"data": {"probe_id": "p-1", "n": 1,
                         "unit": {"centre": "150203", "institute": "i", "station": "s"}}})
    with event_context(placed):
        pass
    [span] = spans.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["civiloop.centre"] == "150203"


def test_a_malformed_traceparent_is_ignored_not_fatal(spans: InMemorySpanExporter) -> None:
    broken = event().model_copy(update={"traceparent": "not-a-trace-context"})
    with event_context(broken):
        pass
    [span] = spans.get_finished_spans()
    assert span.parent is None
    assert span.context.trace_id == trace_id_of(broken.correlationid)


def test_with_tracing_off_nothing_is_stamped() -> None:
    made = event()
    assert tracing.stamp(made) is made
    with event_context(made):
        pass


def test_an_event_made_without_a_story_joins_the_one_being_handled() -> None:
    fresh = event()
    assert in_current_story(fresh) is fresh, "outside any story it starts its own"
    with correlation_context("req-7"):
        assert in_current_story(fresh).correlationid == "req-7"
        given = event(correlation_id="order-story")
        assert in_current_story(given) is given, "a story given explicitly is kept"


def app() -> FastAPI:
    application = FastAPI()

    @application.get("/things/{thing}")
    async def thing(thing: str) -> dict[str, str]:
        return {"traceparent": tracing.stamp(in_current_story(event())).traceparent or ""}

    application.middleware("http")(web._correlation)
    return application


async def call(headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/things/7", headers=headers)


async def test_a_request_is_a_server_span_in_its_correlation_ids_trace(
        spans: InMemorySpanExporter) -> None:
    story = str(uuid.uuid4())
    reply = await call({"X-Correlation-ID": story})
    server = by_name(spans)["GET /things/{thing}"]
    create = by_name(spans)["create ProbeHappened"]
    assert server.kind == SpanKind.SERVER
    assert server.context.trace_id == uuid.UUID(story).int
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 200
    assert create.parent is not None
    assert create.parent.span_id == server.context.span_id, (
        "an event made by the request (in its story) is the request's child")
    assert reply.json()["traceparent"].split("-")[1] == uuid.UUID(story).hex


async def test_a_caller_trace_context_without_a_correlation_id_names_the_story(
        spans: InMemorySpanExporter) -> None:
    caller_trace, caller_span = uuid.uuid4().hex, "00f067aa0ba902b7"
    reply = await call({"traceparent": f"00-{caller_trace}-{caller_span}-01"})
    server = by_name(spans)["GET /things/{thing}"]
    assert reply.headers["X-Correlation-ID"] == str(uuid.UUID(caller_trace))
    assert server.parent is not None
    assert f"{server.parent.span_id:016x}" == caller_span


def test_tracing_is_off_unless_an_endpoint_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                 "OTEL_SDK_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    assert tracing.TracingSettings().traces_endpoint is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")
    assert tracing.TracingSettings().traces_endpoint == "http://collector:4318/v1/traces"
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert tracing.TracingSettings().traces_endpoint is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "collector without a scheme")
    monkeypatch.delenv("OTEL_SDK_DISABLED")
    with pytest.raises(SystemExit):
        tracing.configure("probe")
