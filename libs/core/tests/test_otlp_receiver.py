"""The test receiver itself: what it reads back from raw OTLP requests sent over gRPC."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from bella_core.testing.otlp import OtlpReceiver
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, KeyValue
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1 import trace_pb2

CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
DELTA = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA


def _kv(key: str, value: str | int | list[str]) -> KeyValue:
    if isinstance(value, list):
        array = ArrayValue(values=[AnyValue(string_value=v) for v in value])
        return KeyValue(key=key, value=AnyValue(array_value=array))
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    return KeyValue(key=key, value=AnyValue(string_value=value))


def _resource(service: str) -> Resource:
    return Resource(attributes=[_kv("service.name", service)])


def _counter(
    service: str, temporality: int, *points: tuple[int, dict[str, str]]
) -> metrics_service_pb2.ExportMetricsServiceRequest:
    metric = metrics_pb2.Metric(
        name="SecurityEvents",
        sum=metrics_pb2.Sum(
            aggregation_temporality=temporality,
            is_monotonic=True,
            data_points=[
                metrics_pb2.NumberDataPoint(
                    as_int=value, attributes=[_kv(k, v) for k, v in attrs.items()]
                )
                for value, attrs in points
            ],
        ),
    )
    return metrics_service_pb2.ExportMetricsServiceRequest(
        resource_metrics=[
            metrics_pb2.ResourceMetrics(
                resource=_resource(service),
                scope_metrics=[metrics_pb2.ScopeMetrics(metrics=[metric])],
            )
        ]
    )


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as receiver:
        yield receiver


@pytest.fixture
def channel(receiver: OtlpReceiver) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(f"{receiver.host}:{receiver.port}") as channel:
        yield channel


def test_env_points_the_sdk_here(receiver: OtlpReceiver) -> None:
    env = receiver.env()
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == receiver.endpoint
    assert env["OTEL_EXPORTER_OTLP_PROTOCOL"] == "grpc"


def test_counter_total_keeps_cumulative_series_and_adds_deltas(
    receiver: OtlpReceiver, channel: grpc.Channel
) -> None:
    export = metrics_service_pb2_grpc.MetricsServiceStub(channel).Export
    # Cumulative: each export repeats the running value of its series; the last one counts.
    export(_counter("Admin", CUMULATIVE, (2, {"kind": "csrf"}), (1, {"kind": "login"})))
    export(_counter("Admin", CUMULATIVE, (5, {"kind": "csrf"})))
    # Delta: each export carries only what happened since the last one.
    export(_counter("Voice", DELTA, (3, {"kind": "signature"})))
    export(_counter("Voice", DELTA, (4, {"kind": "signature"}), (7, {"kind": "other"})))

    assert receiver.counter_total("SecurityEvents", "Admin") == 6
    assert receiver.counter_total("SecurityEvents", "Admin", kind="csrf") == 5
    assert receiver.counter_total("SecurityEvents", "Voice", kind="signature") == 7
    assert receiver.counter_total("SecurityEvents") == 6 + 14
    assert receiver.counter_total("SecurityEvents", "NLP") == 0
    assert receiver.counter_total("SecurityEvents", "Admin", missing="x") == 0
    assert receiver.counter_total("CallVolume") == 0
    assert receiver.metric_names("Voice") == {"SecurityEvents"}


def test_texts_covers_spans_metrics_and_logs(
    receiver: OtlpReceiver, channel: grpc.Channel
) -> None:
    span = trace_pb2.Span(
        trace_id=bytes(16),
        span_id=bytes(8),
        name="gather",
        attributes=[_kv("notes", ["call", "Alice Tremblay"]), _kv("turn", 3)],
        events=[trace_pb2.Span.Event(name="retry", attributes=[_kv("why", "timeout")])],
        links=[trace_pb2.Span.Link(attributes=[_kv("from", "webhook")])],
        status=trace_pb2.Status(message="no slot"),
    )
    trace_service_pb2_grpc.TraceServiceStub(channel).Export(
        trace_service_pb2.ExportTraceServiceRequest(
            resource_spans=[
                trace_pb2.ResourceSpans(
                    resource=_resource("Voice"),
                    scope_spans=[trace_pb2.ScopeSpans(spans=[span])],
                )
            ]
        )
    )
    metrics_service_pb2_grpc.MetricsServiceStub(channel).Export(
        _counter("Voice", DELTA, (1, {"kind": "signature"}))
    )
    record = logs_pb2.LogRecord(
        body=AnyValue(string_value="booked"), attributes=[_kv("clinic", "toronto")]
    )
    logs_service_pb2_grpc.LogsServiceStub(channel).Export(
        logs_service_pb2.ExportLogsServiceRequest(
            resource_logs=[
                logs_pb2.ResourceLogs(
                    resource=_resource("Voice"),
                    scope_logs=[logs_pb2.ScopeLogs(log_records=[record])],
                )
            ]
        )
    )

    assert receiver.span_names() == {"gather"}
    assert receiver.span_names("Admin") == set()
    assert len(receiver.log_requests) == 1
    assert set(receiver.texts()) == {
        ("span 'gather'", "gather"),
        ("span 'gather' status", "no slot"),
        ("span 'gather' attribute notes", "call Alice Tremblay"),
        ("span 'gather' attribute turn", "3"),
        ("span 'gather' event 'retry'", "retry"),
        ("span 'gather' event 'retry' attribute why", "timeout"),
        ("span 'gather' link attribute from", "webhook"),
        ("metric SecurityEvents attribute kind", "signature"),
        ("otlp log body", "booked"),
        ("otlp log attribute clinic", "toronto"),
    }
    receiver.clear()
    assert list(receiver.texts()) == []
