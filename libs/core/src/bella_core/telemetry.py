"""The telemetry bootstrap every service calls once from its ``__main__``.

Resource ``service.namespace=Bella`` + ``service.name`` lets the ADOT
collector's ``awsemf`` exporter put each service's metrics in its own
``Bella/<Service>`` namespace. Trace ids are X-Ray compatible and both W3C
and X-Ray headers propagate. With no OTLP endpoint configured nothing is
exported and nothing complains.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from opentelemetry import metrics, trace
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.propagate import set_global_textmap
from opentelemetry.propagators.aws import AwsXRayPropagator
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
from opentelemetry.sdk.metrics import (
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
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# CloudWatch EMF needs deltas: the awsemf exporter converts cumulative sums but not histograms.
DELTA = {
    Counter: AggregationTemporality.DELTA,
    UpDownCounter: AggregationTemporality.CUMULATIVE,
    Histogram: AggregationTemporality.DELTA,
    ObservableCounter: AggregationTemporality.DELTA,
    ObservableUpDownCounter: AggregationTemporality.CUMULATIVE,
    ObservableGauge: AggregationTemporality.CUMULATIVE,
}


@dataclass
class Telemetry:
    service_name: str
    tracer_provider: TracerProvider
    meter_provider: MeterProvider
    exporting: bool
    extra_readers: Sequence[MetricReader] = field(default_factory=tuple)

    @property
    def tracer(self) -> trace.Tracer:
        return self.tracer_provider.get_tracer(f"bella.{self.service_name.lower()}")

    @property
    def meter(self) -> metrics.Meter:
        return self.meter_provider.get_meter(f"bella.{self.service_name.lower()}")

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def _otlp_configured(signal: str) -> bool:
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    ) and os.environ.get("OTEL_SDK_DISABLED", "").lower() != "true"


def build_resource(service_name: str, version: str, environment: str) -> Resource:
    attrs = {
        "service.namespace": "Bella",
        "service.name": service_name,
        "service.version": version,
        "deployment.environment": environment,
    }
    resource = Resource.create(attrs)  # merges OTEL_RESOURCE_ATTRIBUTES
    if os.environ.get("ECS_CONTAINER_METADATA_URI_V4") or os.environ.get(
        "ECS_CONTAINER_METADATA_URI"
    ):
        from opentelemetry.sdk.extension.aws.resource.ecs import AwsEcsResourceDetector

        resource = resource.merge(AwsEcsResourceDetector(raise_on_error=False).detect())
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
) -> Telemetry:
    """Configure traces and metrics for one service.

    ``span_processors`` and ``metric_readers`` let tests capture telemetry
    in memory; production uses the OTLP exporters chosen by the standard
    ``OTEL_EXPORTER_OTLP_*`` variables.
    """
    resource = build_resource(service_name, version, environment)
    tracer_provider = TracerProvider(resource=resource, id_generator=AwsXRayIdGenerator())
    exporting = False
    if _otlp_configured("TRACES"):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        exporting = True
    if console:
        tracer_provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    for processor in span_processors:
        tracer_provider.add_span_processor(processor)

    readers: list[MetricReader] = list(metric_readers)
    if _otlp_configured("METRICS"):
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

        readers.append(
            PeriodicExportingMetricReader(OTLPMetricExporter(preferred_temporality=DELTA))
        )
    if console:
        readers.append(
            PeriodicExportingMetricReader(ConsoleMetricExporter(preferred_temporality=DELTA))
        )
    meter_provider = MeterProvider(resource=resource, metric_readers=readers)

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
    )


# --- Instrumentation: one call per library, from each service's __main__ -------------------


def grpc_server_interceptors(telemetry: Telemetry) -> list:  # type: ignore[type-arg]
    from opentelemetry.instrumentation.grpc import aio_server_interceptor

    return [aio_server_interceptor(tracer_provider=telemetry.tracer_provider)]


def grpc_client_interceptors(telemetry: Telemetry) -> list:  # type: ignore[type-arg]
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    return list(aio_client_interceptors(tracer_provider=telemetry.tracer_provider))


def instrument_fastapi(app: object, telemetry: Telemetry) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app,  # type: ignore[arg-type]
        tracer_provider=telemetry.tracer_provider,
        meter_provider=telemetry.meter_provider,
        excluded_urls="healthz,readyz",
    )


def instrument_sqlalchemy(engine: object, telemetry: Telemetry) -> None:
    """``engine`` is an AsyncEngine or Engine; statements are recorded without parameters."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    sync_engine = getattr(engine, "sync_engine", engine)
    SQLAlchemyInstrumentor().instrument(
        engine=sync_engine,
        tracer_provider=telemetry.tracer_provider,
        meter_provider=telemetry.meter_provider,
        enable_commenter=False,
    )


def instrument_redis(telemetry: Telemetry) -> None:
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    instrumentor = RedisInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        # The default span name and db.statement hold only the command name and key pattern
        # when sanitized; keys in Bella are opaque ids.
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider, sanitize_query=True)


def instrument_httpx(telemetry: Telemetry) -> None:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider)
