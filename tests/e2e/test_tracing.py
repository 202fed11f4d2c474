"""One order's path through the five services is one trace (OTLP export to a test receiver).

The services run as their own processes with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a
receiver in this test; a station frontend publishes the order on the intake topic, and every
person's step afterwards (the volunteer's accept and service, the resident's rating) sends
the order's correlation id, as a frontend that continues the order does.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from civiloop_contracts.codec import encode
from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_devstack.demo import bearer, until
from civiloop_platform.kafka.producer import Outgoing
from civiloop_requests.app.placing import derived_order_id
from tests.e2e.conftest import LOGS
from tests.e2e.otlp import Received, Span, receiver
from tests.e2e.stack import Stack, running_stack
from tests.e2e.test_loop import District, _register_doctor, _request, _status_is
from tests.support import started_producer

SERVICES = {"requests", "dispatch", "volunteers", "feedback", "stats"}
# The order's own events, each made in a service and handled in others.
LOOP_EVENTS = ("OrderPlaced", "OrderDispatched", "OrderAccepted", "ServiceCompleted",
               "FeedbackGiven", "OrderClosed")


@pytest.fixture(scope="module")
def traced(infra: Any) -> Iterator[tuple[Stack, Received]]:
    """The five services exporting their spans to a receiver in this test."""
    with receiver() as (endpoint, received), pytest.MonkeyPatch.context() as env:
        env.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        env.setenv("OTEL_BSP_SCHEDULE_DELAY", "200")  # ms: export soon after a span ends
        with running_stack(infra.kafka_bootstrap, infra.mongo_url, LOGS / "tracing") as stack:
            yield stack, received


def _publish(kafka_bootstrap: str, value: bytes, key: bytes, headers: list[Any]) -> None:
    async def send() -> None:
        async with started_producer(kafka_bootstrap, "e2e-station") as producer:
            await producer.send_all([Outgoing(STATION_INTAKE, key, value, headers)])
    asyncio.run(send())


def _serve_and_rate(stack: Stack, district: District, order_id: str, doctor: str,
                    resident: str, story: str) -> None:
    """The doctor accepts, serves and completes; the resident rates: each in the story."""
    me = {**bearer("volunteer", doctor, district.station, district.institute),
          "X-Correlation-ID": story}
    with stack.client("volunteers") as volunteers:
        offers = until(lambda: [o for o in volunteers.get(
            "/api/v1/volunteers/offers/mine", headers=me).json() if o["order_id"] == order_id],
            what="the offer reaches the volunteer")
        accepted = volunteers.post(
            f"/api/v1/volunteers/assignments/{offers[0]['assignment_id']}/accept",
            json={}, headers=me)
        assert accepted.status_code == 200, accepted.text
        until(_status_is(stack, district, order_id, "accepted"), what="accepted")
        for step, body in (("check-in", {}), ("check-out", {}),
                           ("complete", {"people_served": 1, "summary": "血压正常"})):
            reply = volunteers.post(f"/api/v1/volunteers/orders/{order_id}/{step}",
                                    json=body, headers=me)
            assert reply.status_code == 200, reply.text
    until(_status_is(stack, district, order_id, "completed"), what="completed")
    resident_headers = {**bearer("resident", resident), "X-Correlation-ID": story}
    with stack.client("feedback") as feedback:
        def rate() -> httpx.Response | None:
            reply = feedback.post(f"/api/v1/feedback/orders/{order_id}/rating",
                                  json={"stars": 5}, headers=resident_headers)
            return reply if reply.status_code == 201 else None
        until(rate, what="the resident can rate")
    until(_status_is(stack, district, order_id, "closed"), what="closed")


def _complete(received: Received, trace_id: str) -> list[Span] | None:
    """The trace's spans once every service's and every loop event's are there, else None."""
    spans = received.of_trace(trace_id)
    ids = {s.span_id for s in spans}
    done = ({s.service for s in spans} == SERVICES and all(_made(spans, e) for e in LOOP_EVENTS)
            and all(s.parent_id in ids for s in spans if s.parent_id))
    return spans if done else None


def _made(spans: list[Span], event: str) -> list[Span]:
    return [s for s in spans if s.kind == "producer" and s.name == f"create {event}"]


def test_one_orders_spans_in_every_service_are_one_linked_trace(
        traced: tuple[Stack, Received], infra: Any) -> None:
    stack, received = traced
    district, resident = District(), f"res-{uuid.uuid4().hex[:8]}"
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    request, source = _request(district, resident)
    envelope = make_event(request, source=source)  # the frontend's event: the story's start
    record = encode(envelope)
    _publish(infra.kafka_bootstrap, record.value, record.key, record.headers)
    order_id = derived_order_id(source, request.request_id)
    until(_status_is(stack, district, order_id, "dispatched"), what="dispatched")
    _serve_and_rate(stack, district, order_id, doctor, resident, envelope.correlationid)

    trace_id = uuid.UUID(envelope.correlationid).hex  # a UUID correlation id is its trace id
    try:  # spans leave each process in batches: wait for the whole story, then look closer
        spans = until(lambda: _complete(received, trace_id), what="the order's whole trace")
    except RuntimeError:
        spans = received.of_trace(trace_id)  # what arrived: the assertions below say what not

    shown = sorted({(s.service, s.kind, s.name) for s in spans})
    assert {s.service for s in spans} == SERVICES, shown
    for event in LOOP_EVENTS:
        assert _made(spans, event), f"{event} was not made in the order's trace"
    by_id = {s.span_id: s for s in spans}
    dangling = [s.name for s in spans if s.parent_id and s.parent_id not in by_id]
    assert not dangling, f"spans whose parent is not in the trace: {dangling}"
    for span in (s for s in spans if s.kind == "consumer" and s.parent_id):
        maker = by_id[span.parent_id]
        assert maker.kind == "producer", f"{span.name} in {span.service} hangs off {maker.name}"
        assert maker.attributes["messaging.message.id"] == (
            span.attributes["messaging.message.id"]), "a handling's parent is its event's making"
    roots = [s for s in spans if not s.parent_id]
    assert [s.name for s in roots if s.kind != "server"] == ["process OrderRequested"], (
        "the frontend's request starts the story; every other root is a person's HTTP step")
    accept = next(s for s in roots if s.name == "POST /api/v1/volunteers/assignments/"
                                                "{assignment_id}/accept")
    [accepted] = _made(spans, "OrderAccepted")
    assert accepted.parent_id == accept.span_id, "the accept's event is the request's child"
    handled = {s.service for s in spans if s.kind == "consumer" and s.name == "process OrderPlaced"}
    assert handled >= {"dispatch", "volunteers", "stats"}, "OrderPlaced crossed the hop"
