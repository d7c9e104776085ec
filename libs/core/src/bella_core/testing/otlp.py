"""A small in-process OTLP/gRPC receiver that records what services export.

It serves the collector's own service definitions (``TraceService/Export`` and
``MetricsService/Export`` from opentelemetry-proto) on a thread-pool gRPC
server, so services in this process or in child processes can point
``OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<port>`` at it exactly as
they would at the ADOT collector.

    with OtlpReceiver() as receiver:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
        ...
        receiver.wait_for(lambda r: "Voice" in r.services())
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from opentelemetry.proto.collector.metrics.v1 import (
    metrics_service_pb2,
    metrics_service_pb2_grpc,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue


def any_value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return tuple(any_value(v) for v in value.array_value.values)
    if kind == "kvlist_value":
        return attributes(value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value
    return getattr(value, kind)


def attributes(kvs: Any) -> dict[str, Any]:
    return {kv.key: any_value(kv.value) for kv in kvs if isinstance(kv, KeyValue)}


@dataclass(frozen=True)
class ReceivedSpan:
    trace_id: str  # 32 hex
    span_id: str  # 16 hex
    parent_span_id: str  # "" for a root span
    name: str
    kind: int
    attributes: dict[str, Any]
    resource: dict[str, Any]
    scope: str
    events: tuple[tuple[str, dict[str, Any]], ...]
    status_code: int

    @property
    def service(self) -> str:
        return str(self.resource.get("service.name", ""))


@dataclass(frozen=True)
class ReceivedPoint:
    metric: str
    kind: str  # "sum" | "gauge" | "histogram" | "exponential_histogram" | "summary"
    unit: str
    attributes: dict[str, Any]
    resource: dict[str, Any]
    value: float  # sum/gauge value, or histogram sum
    count: int  # histogram count (1 for sums and gauges)
    temporality: int  # AggregationTemporality enum value; 0 for gauges

    @property
    def service(self) -> str:
        return str(self.resource.get("service.name", ""))


@dataclass
class OtlpReceiver:
    host: str = "127.0.0.1"
    port: int = 0
    trace_requests: list[trace_service_pb2.ExportTraceServiceRequest] = field(default_factory=list)
    metric_requests: list[metrics_service_pb2.ExportMetricsServiceRequest] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: grpc.Server | None = None

    # -- server ----------------------------------------------------------------------------

    def start(self) -> OtlpReceiver:
        receiver = self

        class _Traces(trace_service_pb2_grpc.TraceServiceServicer):
            def Export(self, request: Any, context: Any) -> Any:
                with receiver._lock:
                    receiver.trace_requests.append(request)
                return trace_service_pb2.ExportTraceServiceResponse()

        class _Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
            def Export(self, request: Any, context: Any) -> Any:
                with receiver._lock:
                    receiver.metric_requests.append(request)
                return metrics_service_pb2.ExportMetricsServiceResponse()

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(_Traces(), server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(_Metrics(), server)
        self.port = server.add_insecure_port(f"{self.host}:{self.port}")
        server.start()
        self._server = server
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop(grace=None)
            self._server = None

    def __enter__(self) -> OtlpReceiver:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def clear(self) -> None:
        with self._lock:
            self.trace_requests.clear()
            self.metric_requests.clear()

    # -- what arrived ----------------------------------------------------------------------

    def spans(self) -> list[ReceivedSpan]:
        with self._lock:
            requests = list(self.trace_requests)
        out: list[ReceivedSpan] = []
        for request in requests:
            for rs in request.resource_spans:
                resource = attributes(rs.resource.attributes)
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        out.append(
                            ReceivedSpan(
                                trace_id=s.trace_id.hex(),
                                span_id=s.span_id.hex(),
                                parent_span_id=s.parent_span_id.hex(),
                                name=s.name,
                                kind=s.kind,
                                attributes=attributes(s.attributes),
                                resource=resource,
                                scope=ss.scope.name,
                                events=tuple((e.name, attributes(e.attributes)) for e in s.events),
                                status_code=s.status.code,
                            )
                        )
        return out

    def points(self) -> list[ReceivedPoint]:
        with self._lock:
            requests = list(self.metric_requests)
        out: list[ReceivedPoint] = []
        for request in requests:
            for rm in request.resource_metrics:
                resource = attributes(rm.resource.attributes)
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        out.extend(_points(m, resource))
        return out

    def metric_names(self, service: str | None = None) -> set[str]:
        return {p.metric for p in self.points() if service is None or p.service == service}

    def services(self) -> set[str]:
        return {s.service for s in self.spans()} | {p.service for p in self.points()}

    def wait_for(
        self, predicate: Callable[[OtlpReceiver], bool], timeout: float = 30.0, poll: float = 0.1
    ) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(poll)
        return predicate(self)


def _points(m: Any, resource: dict[str, Any]) -> Iterator[ReceivedPoint]:
    kind = m.WhichOneof("data")
    data = getattr(m, kind)
    temporality = getattr(data, "aggregation_temporality", 0)
    for dp in data.data_points:
        if kind in ("sum", "gauge"):
            value = dp.as_double if dp.WhichOneof("value") == "as_double" else float(dp.as_int)
            count = 1
        elif kind == "summary":
            value, count = dp.sum, dp.count
        else:
            value, count = dp.sum, dp.count
        yield ReceivedPoint(
            metric=m.name,
            kind=kind,
            unit=m.unit,
            attributes=attributes(dp.attributes),
            resource=resource,
            value=value,
            count=count,
            temporality=temporality,
        )
