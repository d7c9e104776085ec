"""A small in-process OTLP/gRPC receiver that records what services export.

It serves the collector's own service definitions (``TraceService``,
``MetricsService`` and ``LogsService`` ``Export`` from opentelemetry-proto) on a
thread-pool gRPC server, so services in this process or in child processes can
point ``OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<port>`` at it exactly as
they would at the ADOT collector (``env()`` gives that, with short export
intervals). It keeps every request as received (``trace_requests``,
``metric_requests``, ``log_requests``) and reads them back as spans, metric
points, counter totals or every human-readable string in them (``texts()``).

    with OtlpReceiver() as receiver:
        env.update(receiver.env())
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
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import (
    metrics_service_pb2,
    metrics_service_pb2_grpc,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality


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


def text(value: AnyValue) -> str:
    """``value`` as someone reading the telemetry sees it: arrays and maps flattened to one line."""
    kind = value.WhichOneof("value")
    if kind is None:
        return ""
    if kind == "array_value":
        return " ".join(text(v) for v in value.array_value.values)
    if kind == "kvlist_value":
        return " ".join(f"{kv.key}={text(kv.value)}" for kv in value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value.decode(errors="replace")
    return str(getattr(value, kind))


def _texts(kvs: Any) -> Iterator[tuple[str, str]]:
    for kv in kvs:
        yield kv.key, text(kv.value)


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
    log_requests: list[logs_service_pb2.ExportLogsServiceRequest] = field(default_factory=list)

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

        class _Logs(logs_service_pb2_grpc.LogsServiceServicer):
            def Export(self, request: Any, context: Any) -> Any:
                with receiver._lock:
                    receiver.log_requests.append(request)
                return logs_service_pb2.ExportLogsServiceResponse()

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(_Traces(), server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(_Metrics(), server)
        logs_service_pb2_grpc.add_LogsServiceServicer_to_server(_Logs(), server)
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

    def env(self) -> dict[str, str]:
        """Variables that make a service's SDK export here, quickly."""
        return {
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.endpoint,
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_METRIC_EXPORT_INTERVAL": "500",
            "OTEL_BLRP_SCHEDULE_DELAY": "200",
        }

    def clear(self) -> None:
        with self._lock:
            self.trace_requests.clear()
            self.metric_requests.clear()
            self.log_requests.clear()

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

    def points(self, metric: str | None = None) -> list[ReceivedPoint]:
        """Every metric point received, or only those of ``metric``."""
        with self._lock:
            requests = list(self.metric_requests)
        out: list[ReceivedPoint] = []
        for request in requests:
            for rm in request.resource_metrics:
                resource = attributes(rm.resource.attributes)
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        if metric is None or m.name == metric:
                            out.extend(_points(m, resource))
        return out

    def span_names(self, service: str | None = None) -> set[str]:
        return {s.name for s in self.spans() if service is None or s.service == service}

    def metric_names(self, service: str | None = None) -> set[str]:
        return {p.metric for p in self.points() if service is None or p.service == service}

    def counter_total(self, metric: str, service: str = "", **attrs: str) -> float:
        """The running total of a counter (a sum), over its points whose attributes read as
        ``attrs``: cumulative points replace the last value of their series, delta points add."""
        totals: dict[tuple[str, tuple[tuple[str, Any], ...]], float] = {}
        for p in self.points(metric):
            if p.kind != "sum" or (service and p.service != service):
                continue
            if any(k not in p.attributes or str(p.attributes[k]) != v for k, v in attrs.items()):
                continue
            series = (p.service, tuple(sorted(p.attributes.items())))
            cumulative = p.temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
            totals[series] = p.value if cumulative else totals.get(series, 0.0) + p.value
        return sum(totals.values())

    def texts(self) -> Iterator[tuple[str, str]]:
        """(where, text) for every string a person or a tool could read in what arrived: span
        names, status messages, attributes of spans, events, links, metric points, exemplars,
        and log bodies and attributes. For scans that nothing private got out."""
        with self._lock:
            traces = list(self.trace_requests)
            metrics = list(self.metric_requests)
            logs = list(self.log_requests)
        for tr in traces:
            for rs in tr.resource_spans:
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        where = f"span {s.name!r}"
                        yield where, s.name
                        yield where + " status", s.status.message
                        for k, v in _texts(s.attributes):
                            yield f"{where} attribute {k}", v
                        for e in s.events:
                            yield f"{where} event {e.name!r}", e.name
                            for k, v in _texts(e.attributes):
                                yield f"{where} event {e.name!r} attribute {k}", v
                        for link in s.links:
                            for k, v in _texts(link.attributes):
                                yield f"{where} link attribute {k}", v
        for mr in metrics:
            for rm in mr.resource_metrics:
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        kind = m.WhichOneof("data")
                        if kind is None:
                            continue
                        for point in getattr(m, kind).data_points:
                            for k, v in _texts(point.attributes):
                                yield f"metric {m.name} attribute {k}", v
                            for ex in getattr(point, "exemplars", []):
                                for k, v in _texts(ex.filtered_attributes):
                                    yield f"metric {m.name} exemplar {k}", v
        for lr in logs:
            for rl in lr.resource_logs:
                for sl in rl.scope_logs:
                    for rec in sl.log_records:
                        yield "otlp log body", text(rec.body)
                        for k, v in _texts(rec.attributes):
                            yield f"otlp log attribute {k}", v

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
    if kind is None:  # a metric with no data at all: nothing to read
        return
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
