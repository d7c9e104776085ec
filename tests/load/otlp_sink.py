"""A local OTLP/gRPC receiver keeping every span, metric and log record it is sent.

Services started as processes export to it through the standard
``OTEL_EXPORTER_OTLP_ENDPOINT``; the privacy test then reads every attribute
and event of everything they produced.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2


def _value(v: common_pb2.AnyValue) -> str:
    kind = v.WhichOneof("value")
    if kind is None:
        return ""
    if kind == "array_value":
        return " ".join(_value(x) for x in v.array_value.values)
    if kind == "kvlist_value":
        return " ".join(f"{kv.key}={_value(kv.value)}" for kv in v.kvlist_value.values)
    if kind == "bytes_value":
        return v.bytes_value.decode(errors="replace")
    return str(getattr(v, kind))


def _attrs(attrs: Any) -> Iterator[tuple[str, str]]:
    for kv in attrs:
        yield kv.key, _value(kv.value)


@dataclass
class OtlpSink:
    spans: list[trace_service_pb2.ExportTraceServiceRequest] = field(default_factory=list)
    metrics: list[metrics_service_pb2.ExportMetricsServiceRequest] = field(default_factory=list)
    logs: list[logs_service_pb2.ExportLogsServiceRequest] = field(default_factory=list)
    port: int = 0
    _server: grpc.Server | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OtlpSink:
        """A thread-pool server: it keeps receiving while the test's event loop is idle."""
        sink = self

        class Traces(trace_service_pb2_grpc.TraceServiceServicer):
            def Export(self, request, context):  # type: ignore[no-untyped-def]
                sink.spans.append(request)
                return trace_service_pb2.ExportTraceServiceResponse()

        class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
            def Export(self, request, context):  # type: ignore[no-untyped-def]
                sink.metrics.append(request)
                return metrics_service_pb2.ExportMetricsServiceResponse()

        class Logs(logs_service_pb2_grpc.LogsServiceServicer):
            def Export(self, request, context):  # type: ignore[no-untyped-def]
                sink.logs.append(request)
                return logs_service_pb2.ExportLogsServiceResponse()

        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Traces(), self._server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(Metrics(), self._server)
        logs_service_pb2_grpc.add_LogsServiceServicer_to_server(Logs(), self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop(0)

    def env(self) -> dict[str, str]:
        """Variables that make a service export here, quickly."""
        return {
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.endpoint,
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_METRIC_EXPORT_INTERVAL": "500",
            "OTEL_BLRP_SCHEDULE_DELAY": "200",
        }

    def span_names(self) -> set[str]:
        return {
            s.name
            for req in self.spans
            for rs in req.resource_spans
            for ss in rs.scope_spans
            for s in ss.spans
        }

    def metric_names(self) -> set[str]:
        return {
            m.name
            for req in self.metrics
            for rm in req.resource_metrics
            for sm in rm.scope_metrics
            for m in sm.metrics
        }

    def texts(self) -> Iterator[tuple[str, str]]:
        """(where, text) for every string a human or a tool could read in the telemetry."""
        for req in self.spans:
            for rs in req.resource_spans:
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        where = f"span {s.name!r}"
                        yield where, s.name
                        yield where + " status", s.status.message
                        for k, v in _attrs(s.attributes):
                            yield f"{where} attribute {k}", v
                        for e in s.events:
                            yield f"{where} event {e.name!r}", e.name
                            for k, v in _attrs(e.attributes):
                                yield f"{where} event {e.name!r} attribute {k}", v
                        for link in s.links:
                            for k, v in _attrs(link.attributes):
                                yield f"{where} link attribute {k}", v
        for mreq in self.metrics:
            for rm in mreq.resource_metrics:
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        kind = m.WhichOneof("data")
                        if kind is None:
                            continue
                        for point in getattr(m, kind).data_points:
                            for k, v in _attrs(point.attributes):
                                yield f"metric {m.name} attribute {k}", v
                            for ex in getattr(point, "exemplars", []):
                                for k, v in _attrs(ex.filtered_attributes):
                                    yield f"metric {m.name} exemplar {k}", v
        for lreq in self.logs:
            for rl in lreq.resource_logs:
                for sl in rl.scope_logs:
                    for rec in sl.log_records:
                        yield "otlp log body", _value(rec.body)
                        for k, v in _attrs(rec.attributes):
                            yield f"otlp log attribute {k}", v

    def counter_total(self, metric: str, service: str = "", **attrs: str) -> float:
        """The running total of a counter, summed over the points matching ``attrs``."""
        totals: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        for req in list(self.metrics):
            for rm in req.resource_metrics:
                resource = dict(_attrs(rm.resource.attributes))
                if service and resource.get("service.name") != service:
                    continue
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        if m.name != metric or m.WhichOneof("data") != "sum":
                            continue
                        cumulative = m.sum.aggregation_temporality == 2
                        for point in m.sum.data_points:
                            labels = dict(_attrs(point.attributes))
                            if any(labels.get(k) != v for k, v in attrs.items()):
                                continue
                            key = (resource.get("service.name", ""), tuple(sorted(labels.items())))
                            value = point.as_double or float(point.as_int)
                            totals[key] = value if cumulative else totals.get(key, 0.0) + value
        return sum(totals.values())
