"""A minimal OTLP/HTTP trace receiver for tests: what a collector would get, kept in memory."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as SpanProto

KINDS = {SpanProto.SPAN_KIND_SERVER: "server", SpanProto.SPAN_KIND_PRODUCER: "producer",
         SpanProto.SPAN_KIND_CONSUMER: "consumer", SpanProto.SPAN_KIND_INTERNAL: "internal",
         SpanProto.SPAN_KIND_CLIENT: "client"}


@dataclass(frozen=True)
class Span:
    """One received span, ids as hex."""

    service: str
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: str
    attributes: dict[str, str]
    links: tuple[str, ...]


@dataclass
class Received:
    """Every span received so far."""

    spans: list[Span] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, body: bytes) -> None:
        """Decode one export request and keep its spans."""
        request = ExportTraceServiceRequest.FromString(body)
        found = []
        for resource in request.resource_spans:
            attrs = {a.key: a.value.string_value for a in resource.resource.attributes}
            for scope in resource.scope_spans:
                found += [_span(attrs.get("service.name", ""), s) for s in scope.spans]
        with self.lock:
            self.spans += found

    def of_trace(self, trace_id: str) -> list[Span]:
        """The spans of one trace."""
        with self.lock:
            return [s for s in self.spans if s.trace_id == trace_id]


def _span(service: str, s: SpanProto) -> Span:
    return Span(service=service, trace_id=s.trace_id.hex(), span_id=s.span_id.hex(),
                parent_id=s.parent_span_id.hex(), name=s.name, kind=KINDS.get(s.kind, "?"),
                attributes={a.key: a.value.string_value for a in s.attributes},
                links=tuple(link.span_id.hex() for link in s.links))


@contextmanager
def receiver() -> Iterator[tuple[str, Received]]:
    """An OTLP/HTTP endpoint on 127.0.0.1 (its base URL) and what it receives; stopped after."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path == "/v1/traces":
                received.add(body)
            reply = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
