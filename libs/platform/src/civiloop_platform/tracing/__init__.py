"""OpenTelemetry traces across HTTP and Kafka hops, one trace per correlation id.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``..._TRACES_ENDPOINT``) is set; then every
service exports its spans by OTLP over HTTP. See docs/architecture.md, "Tracing".
"""

from civiloop_platform.tracing.setup import TracingSettings, configure
from civiloop_platform.tracing.spans import caller_correlation, handling, stamp, traced

__all__ = ["TracingSettings", "caller_correlation", "configure", "handling", "stamp", "traced"]
