"""Structured logs (structlog, JSON), Prometheus metrics and OpenTelemetry tracing.

Tracing always runs (so every request has a W3C trace id for logs, problems and events);
spans are exported only when `DARCA_OTEL_EXPORTER` is `console` or `otlp`.
"""

from __future__ import annotations

import logging
import sys

import orjson
import structlog
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from prometheus_client import CollectorRegistry, Counter, Histogram

from .settings import Settings

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "darca_http_requests",
    "HTTP requests by operation, method and status code.",
    ["operation_id", "method", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "darca_http_request_duration_seconds",
    "HTTP request latency by operation.",
    ["operation_id", "method"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# Use of what the contract deprecated (docs/versioning.md): who still calls it before its sunset. `element` is
# "operation" or the deprecated input ("query.kind", "body.name"); `caller` is bounded (deprecated_caller).
DEPRECATED_REQUESTS = Counter(
    "darca_deprecated_requests",
    "Requests that used a deprecated operation, parameter or field, by operation, element and caller.",
    ["operation_id", "element", "caller"],
    registry=REGISTRY,
)
EVENTS_PUBLISHED = Counter(
    "darca_events_published", "Events relayed from the outbox to the bus.", ["event_type"], registry=REGISTRY
)
LEDGER_PREDICTIONS = Counter(
    "darca_ledger_predictions",
    "Ledger units of work that computed on predicted account rows, by outcome (confirmed, or mispredicted and run again).",
    ["outcome"],
    registry=REGISTRY,
)

_tracing_configured = False


def _json_line(event: dict[str, object], **options: object) -> str:
    """The JSON of a log line, by orjson: every request writes one (ADR 0017)."""
    return orjson.dumps(event, default=options.get("default")).decode()


def configure_logging(settings: Settings) -> None:
    processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    renderer = (structlog.processors.JSONRenderer(serializer=_json_line) if settings.log_json
                else structlog.dev.ConsoleRenderer())
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )


def configure_tracing(settings: Settings, service_name: str = "darca-platform") -> None:
    global _tracing_configured
    if _tracing_configured:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter: SpanExporter | None = None
    if settings.otel_exporter == "console":
        exporter = ConsoleSpanExporter()
    elif settings.otel_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otel_endpoint) if settings.otel_endpoint else OTLPSpanExporter()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _tracing_configured = True


def tracer() -> trace.Tracer:
    return trace.get_tracer("darca")


def current_traceparent() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return f"{ctx.trace_id:032x}" if ctx.is_valid else None
