"""The telemetry bootstrap every service calls once from its ``__main__``.

Resource ``service.namespace=Bella`` + ``service.name`` lets the ADOT
collector's ``awsemf`` exporter put each service's metrics in its own
``Bella/<Service>`` namespace. Trace ids are X-Ray compatible and both W3C
and X-Ray headers propagate. With no OTLP endpoint configured nothing is
exported and nothing complains.

Everything that leaves the process goes through two guards: span attributes,
event attributes and span names are scrubbed of phone-like values and
sensitive keys (:class:`RedactingSpanExporter`), and every metric data point
gets the ``service`` dimension the collector's ``metric_declarations`` select
on (:class:`ServiceDimensionMetricExporter`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from opentelemetry import metrics, trace
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.propagate import set_global_textmap
from opentelemetry.propagators.aws import AwsXRayPropagator
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
from opentelemetry.sdk.metrics import (
    AlwaysOffExemplarFilter,
    Counter,
    Histogram,
    MeterProvider,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    ConsoleMetricExporter,
    MetricExporter,
    MetricExportResult,
    MetricReader,
    MetricsData,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.metrics.view import View
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Link
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from bella_core.redaction import scrub_attribute_value, scrub_attributes, scrub_text

if TYPE_CHECKING:
    import grpc
    from google.protobuf.descriptor import ServiceDescriptor

T = TypeVar("T")

_log = logging.getLogger(__name__)

# CloudWatch EMF needs deltas: the awsemf exporter converts cumulative sums but not histograms.
DELTA: dict[type, AggregationTemporality] = {
    Counter: AggregationTemporality.DELTA,
    UpDownCounter: AggregationTemporality.CUMULATIVE,
    Histogram: AggregationTemporality.DELTA,
    ObservableCounter: AggregationTemporality.DELTA,
    ObservableUpDownCounter: AggregationTemporality.CUMULATIVE,
    ObservableGauge: AggregationTemporality.CUMULATIVE,
}

# The metric dimension every data point carries; the collector's declarations select on it.
SERVICE_DIMENSION = "service"

# Bella's metric names as CloudWatch shows them (the table is otel/metrics.yaml; a test keeps
# the two equal). The Python SDK lower-cases instrument names ("callvolume"), and the awsemf
# declarations and alarms are case-sensitive, so a View per name restores the case.
METRIC_NAMES = (
    # Bella/Voice
    "CallVolume", "CallOutcome", "TwilioWebhookLatency", "VoiceProcessingLatency",
    "SpeechRecognitionAccuracy",
    # Bella/Voice and Bella/Admin
    "RequestCount", "ResponseTime", "ErrorRate", "SecurityEvents",
    # Bella/NLP
    "ExtractionAccuracy", "ExtractionLatency", "OpenAIAPILatency", "OpenAITokenUsage",
    "CacheHitRate", "ArtifactFilteringEffectiveness",
    # Bella/Booking
    "QueryLatency", "TransactionCount", "ConnectionPoolUsage", "DatabaseErrors",
    "BusinessRuleViolations", "CalendarIntegrationLatency", "BookingCount",
    # Bella/Admin
    "DashboardLoadTime", "AdminLoginCount",
    # every service
    "SystemHealth", "CircuitBreakerState",
)


# --- Guards on the way out ------------------------------------------------------------------


def redact_span(span: ReadableSpan) -> ReadableSpan:
    """``span`` with PII scrubbed from its name and all attributes (a copy when anything
    changed; the span itself, most of the time, when nothing did)."""
    name = scrub_text(span.name)
    attributes = scrub_attributes(span.attributes)
    if (not span.events and not span.links and name == span.name
            and attributes == dict(span.attributes or {})):
        return span
    events = [
        Event(e.name, scrub_attributes(e.attributes), e.timestamp, limit=None)
        for e in span.events
    ]
    links = [Link(link.context, scrub_attributes(link.attributes)) for link in span.links]
    return ReadableSpan(
        name=name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=attributes,
        events=events,
        links=links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanExporter(SpanExporter):
    """Wraps any exporter so no phone number, name or utterance leaves in a span."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.inner.export([redact_span(s) for s in spans])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def _with_service(attributes: Mapping[str, Any] | None, service: str) -> dict[str, Any]:
    attrs = {k: scrub_attribute_value(k, v) for k, v in (attributes or {}).items()}
    attrs.setdefault(SERVICE_DIMENSION, service)
    return attrs


class ServiceDimensionMetricExporter(MetricExporter):
    """Adds ``service=<name>`` to every data point (and scrubs attribute values).

    The awsemf exporter only turns *data point* attributes into dimensions, and its
    ``metric_declarations`` tell Voice's RequestCount from Admin's by that label.
    """

    def __init__(self, inner: MetricExporter, service: str) -> None:
        super().__init__(
            preferred_temporality=inner._preferred_temporality,
            preferred_aggregation=inner._preferred_aggregation,
        )
        self.inner = inner
        self.service = service

    def _rewrite(self, data: MetricsData) -> MetricsData:
        resource_metrics = []
        for rm in data.resource_metrics:
            scopes = []
            for sm in rm.scope_metrics:
                rewritten = []
                for metric in sm.metrics:
                    points = [
                        dataclasses.replace(p, attributes=_with_service(p.attributes, self.service))
                        for p in metric.data.data_points
                    ]
                    data_ = dataclasses.replace(metric.data, data_points=points)  # type: ignore[call-arg,arg-type]
                    rewritten.append(dataclasses.replace(metric, data=data_))
                scopes.append(dataclasses.replace(sm, metrics=rewritten))
            resource_metrics.append(dataclasses.replace(rm, scope_metrics=scopes))
        return dataclasses.replace(data, resource_metrics=resource_metrics)

    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> MetricExportResult:
        rewritten = self._rewrite(metrics_data)
        return self.inner.export(rewritten, timeout_millis=timeout_millis, **kwargs)

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return self.inner.force_flush(timeout_millis)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self.inner.shutdown(timeout_millis=timeout_millis, **kwargs)


# --- Bootstrap --------------------------------------------------------------------------------


@dataclass
class Telemetry:
    service_name: str
    tracer_provider: TracerProvider
    meter_provider: MeterProvider
    exporting: bool
    extra_readers: Sequence[MetricReader] = field(default_factory=tuple)
    system_health: SystemHealth | None = None
    # False under OTEL_SDK_DISABLED: then no library is instrumented at all, so telemetry
    # switched off costs nothing per request (not even no-op spans).
    enabled: bool = True

    # Cached: get_tracer builds a new Tracer and scope each time (about 60 µs here).
    @functools.cached_property
    def tracer(self) -> trace.Tracer:
        return self.tracer_provider.get_tracer(f"bella.{self.service_name.lower()}")

    @functools.cached_property
    def meter(self) -> metrics.Meter:
        return self.meter_provider.get_meter(f"bella.{self.service_name.lower()}")

    def force_flush(self, timeout_millis: int = 10_000) -> None:
        """Push buffered spans and a metric collection now (tests, shutdown paths)."""
        self.tracer_provider.force_flush(timeout_millis)
        self.meter_provider.force_flush(timeout_millis)

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _otlp_configured(signal: str) -> bool:
    """Standard variables: an endpoint (general or per signal), not ``none``."""
    if os.environ.get(f"OTEL_{signal}_EXPORTER", "").strip().lower() == "none":
        return False
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    )


def build_resource(service_name: str, version: str, environment: str) -> Resource:
    attrs = {
        "service.namespace": "Bella",
        "service.name": service_name,
        "service.version": version,
        "deployment.environment": environment,
    }
    resource = Resource.create(attrs)  # merges OTEL_RESOURCE_ATTRIBUTES (ours win)
    if os.environ.get("ECS_CONTAINER_METADATA_URI_V4") or os.environ.get(
        "ECS_CONTAINER_METADATA_URI"
    ):
        from opentelemetry.sdk.extension.aws.resource.ecs import AwsEcsResourceDetector

        # ECS attributes (cluster, task ARN, log group) fill the collector's {TaskId}-style
        # placeholders; ours stay authoritative for the namespace.
        detected = AwsEcsResourceDetector(raise_on_error=False).detect()
        resource = detected.merge(resource)
    return resource


def setup_telemetry(
    service_name: str,
    *,
    version: str = "0.1.0",
    environment: str = "development",
    console: bool = False,
    span_processors: Sequence[SpanProcessor] = (),
    metric_readers: Sequence[MetricReader] = (),
    set_global: bool = True,
    metric_names: Sequence[str] = METRIC_NAMES,
) -> Telemetry:
    """Configure traces and metrics for one service.

    ``span_processors`` and ``metric_readers`` let tests capture telemetry
    in memory; production uses the OTLP exporters chosen by the standard
    ``OTEL_EXPORTER_OTLP_*`` variables. ``console`` (or ``BELLA_TELEMETRY_CONSOLE=1``)
    also prints spans and metrics to stdout for local debugging. ``metric_names`` keep
    their case on export (the SDK lower-cases instrument names).
    """
    console = console or _env_true("BELLA_TELEMETRY_CONSOLE")
    enabled = not _env_true("OTEL_SDK_DISABLED")
    resource = build_resource(service_name, version, environment)
    tracer_provider = TracerProvider(resource=resource, id_generator=AwsXRayIdGenerator())
    exporting = False
    if enabled and _otlp_configured("TRACES"):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(
            BatchSpanProcessor(RedactingSpanExporter(OTLPSpanExporter()))
        )
        exporting = True
    if console:
        tracer_provider.add_span_processor(
            BatchSpanProcessor(RedactingSpanExporter(ConsoleSpanExporter()))
        )
    for processor in span_processors:
        tracer_provider.add_span_processor(processor)

    readers: list[MetricReader] = list(metric_readers)
    if enabled and _otlp_configured("METRICS"):
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

        readers.append(
            PeriodicExportingMetricReader(
                ServiceDimensionMetricExporter(
                    OTLPMetricExporter(preferred_temporality=DELTA), service_name
                )
            )
        )
        exporting = True
    if console:
        readers.append(
            PeriodicExportingMetricReader(
                ServiceDimensionMetricExporter(
                    ConsoleMetricExporter(preferred_temporality=DELTA), service_name
                )
            )
        )
    views = [View(instrument_name=name, name=name) for name in metric_names]
    # No exemplars: awsemf drops them, and the SDK's default (trace-based) filter looks at
    # the current span on every recording.
    meter_provider = MeterProvider(resource=resource, metric_readers=readers, views=views,
                                   exemplar_filter=AlwaysOffExemplarFilter())

    if set_global:
        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(meter_provider)
        set_global_textmap(
            CompositePropagator(
                [TraceContextTextMapPropagator(), W3CBaggagePropagator(), AwsXRayPropagator()]
            )
        )
    return Telemetry(
        service_name=service_name,
        tracer_provider=tracer_provider,
        meter_provider=meter_provider,
        exporting=exporting,
        extra_readers=tuple(metric_readers),
        enabled=enabled,
    )


# --- SystemHealth: the one gauge every service reports -----------------------------------------

HealthCheck = Callable[[], "float | bool"]
HealthProbe = Callable[[], Awaitable[bool]]


class SystemHealth:
    """The ``SystemHealth`` gauge in percent (alarm: below 80).

    The value is ``check()`` when one is given (``True`` = 100, ``False`` = 0, numbers
    clamped to 0..100), else the share of healthy components recorded with :meth:`set`
    (100 when none were recorded: the process is up and being scraped). Callbacks run
    on the metric reader's thread, so async probes (database ping...) go through
    :meth:`watch`, which records their results from the event loop.
    """

    def __init__(self, meter: metrics.Meter, check: HealthCheck | None = None) -> None:
        self._check = check
        self._components: dict[str, bool] = {}
        meter.create_observable_gauge(
            "SystemHealth",
            callbacks=[self._observe],
            unit="%",
            description="Share of this service's health checks passing (0-100)",
        )

    def set(self, component: str, healthy: bool) -> None:
        self._components[component] = healthy

    @property
    def components(self) -> Mapping[str, bool]:
        return dict(self._components)

    @property
    def percent(self) -> float:
        if self._check is not None:
            try:
                value = self._check()
            except Exception:  # a failing check is an unhealthy service, not a crash
                _log.warning("system health check raised", exc_info=True)
                return 0.0
            if isinstance(value, bool):
                return 100.0 if value else 0.0
            return max(0.0, min(100.0, float(value)))
        if not self._components:
            return 100.0
        healthy = sum(1 for ok in self._components.values() if ok)
        return 100.0 * healthy / len(self._components)

    def _observe(self, _options: metrics.CallbackOptions) -> list[metrics.Observation]:
        return [metrics.Observation(self.percent)]

    async def probe_once(
        self, probes: Mapping[str, HealthProbe], probe_timeout: float = 2.0
    ) -> None:
        async def run(name: str, probe: HealthProbe) -> None:
            try:
                ok = bool(await asyncio.wait_for(probe(), probe_timeout))
            except Exception:
                ok = False
            self.set(name, ok)

        await asyncio.gather(*(run(n, p) for n, p in probes.items()))

    async def watch(
        self, probes: Mapping[str, HealthProbe], interval: float = 15.0, probe_timeout: float = 2.0
    ) -> None:
        """Run the probes every ``interval`` seconds until cancelled."""
        while True:
            await self.probe_once(probes, probe_timeout)
            await asyncio.sleep(interval)


def register_system_health(telemetry: Telemetry, check: HealthCheck | None = None) -> SystemHealth:
    """Create (once per Telemetry) the service's SystemHealth gauge and return it.

    A second call returns the same object (replacing its ``check`` when one is given):
    the SDK keeps only the first callback of an instrument name per meter.
    """
    if telemetry.system_health is None:
        telemetry.system_health = SystemHealth(telemetry.meter, check)
    elif check is not None:
        telemetry.system_health._check = check
    return telemetry.system_health

# --- Instrumentation: one call per library, from each service's __main__ -------------------


def trace_channel(channel: grpc.aio.Channel, telemetry: Telemetry) -> grpc.aio.Channel:
    """``channel`` whose stubs make CLIENT spans and propagate the trace (see grpc_tracing)."""
    if not telemetry.enabled:
        return channel
    from bella_core.grpc_tracing import TracedChannel

    return TracedChannel(channel, telemetry.tracer)  # type: ignore[return-value]


def trace_servicer(servicer: T, service: ServiceDescriptor, telemetry: Telemetry) -> T:
    """``servicer`` whose RPCs of ``service`` run in SERVER spans (see grpc_tracing)."""
    if not telemetry.enabled:
        return servicer
    from bella_core.grpc_tracing import traced_servicer

    return traced_servicer(servicer, service, telemetry.tracer)  # type: ignore[no-any-return]


def _no_metrics() -> metrics.MeterProvider:
    # The instrumentations' own metrics (http.server.duration, db.client.connections.usage...)
    # match no awsemf declaration, so the collector would drop them; not recording them at all
    # saves work on every request. Bella's RequestCount/ResponseTime/QueryLatency cover them.
    return metrics.NoOpMeterProvider()


# FastAPI(telemetry=...) for an app built without telemetry (tests, tools).
NO_NATIVE_TELEMETRY: Any = {"tracing": False, "metrics": False, "logs": False,
                            "operation_spans": False}


def http_telemetry(
    telemetry: Telemetry | None, *, exclude: Sequence[str] = ("/healthz", "/readyz")
) -> Any:
    """``FastAPI(telemetry=...)``: a SERVER span per request from FastAPI's native telemetry,
    none for paths starting with one of ``exclude``.

    Native rather than opentelemetry-instrumentation-fastapi: measured on a bare form-POST
    handler it adds about half as much CPU per request (the contrib ASGI middleware builds
    its attributes, and calls its metric instruments, even for unsampled requests). Its
    attributes are the stable HTTP conventions (``http.request.method``, ``url.path``,
    ``http.route``, ``http.response.status_code``), which the awsxray exporter maps to a
    segment's ``http`` block. ``url.query`` (a dashboard search for a patient) is redacted on
    the way out like every personal value.
    """
    if telemetry is None or not telemetry.enabled:
        return NO_NATIVE_TELEMETRY
    prefixes = tuple(exclude)

    def excluded(scope: Mapping[str, Any]) -> bool:
        return str(scope.get("path", "")).startswith(prefixes)

    return {
        "tracer_provider": telemetry.tracer_provider,
        # Bella's RequestCount/ResponseTime stand for http.server.request.duration, which no
        # awsemf declaration selects.
        "metrics": False,
        "logs": False,
        # One span per request; the handler's work shows in the spans it calls.
        "operation_spans": False,
        "exclude": excluded,
    }


def instrument_sqlalchemy(engine: object, telemetry: Telemetry) -> None:
    """``engine`` is an AsyncEngine or Engine; statements are recorded without parameters."""
    if not telemetry.enabled:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    sync_engine = getattr(engine, "sync_engine", engine)
    SQLAlchemyInstrumentor().instrument(
        engine=sync_engine,
        tracer_provider=telemetry.tracer_provider,
        meter_provider=_no_metrics(),
        enable_commenter=False,
    )
    # The instrumentation also wraps every Engine.connect() in a "connect" span: a pool
    # checkout, not a new connection, on every transaction. That was a fifth of the SQL spans
    # and told nothing the statement spans under it do not.
    from opentelemetry.instrumentation.utils import unwrap
    from sqlalchemy.engine import Engine

    if hasattr(Engine.connect, "__wrapped__"):
        unwrap(Engine, "connect")


def instrument_redis(telemetry: Telemetry) -> None:
    if not telemetry.enabled:
        return
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    instrumentor = RedisInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        # The default span name and db.statement hold only the command name and key pattern
        # when sanitized; keys in Bella are opaque ids.
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider, sanitize_query=True)


def instrument_httpx(telemetry: Telemetry) -> None:
    if not telemetry.enabled:
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider)


# --- Span annotations the collector indexes in X-Ray -------------------------------------------

# otel/collector/adot-config.yaml lists these in awsxray.indexed_attributes.
ANNOTATION_KEYS = {
    "outcome": "bella.outcome",
    "clinic": "bella.clinic",
    "operation": "bella.operation",
}


def annotate_span(
    span: trace.Span | None = None,
    *,
    outcome: str | None = None,
    clinic: str | None = None,
    operation: str | None = None,
) -> None:
    """Tag the current (or given) span with the searchable X-Ray annotations.

    Values must be low-cardinality words ("booked", "toronto"), never caller data.
    """
    target = span or trace.get_current_span()
    for key, value in (("outcome", outcome), ("clinic", clinic), ("operation", operation)):
        if value is not None:
            target.set_attribute(ANNOTATION_KEYS[key], value)
