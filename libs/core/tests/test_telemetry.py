"""The telemetry bootstrap: resource, ids, propagation, export guards, health gauges."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import grpc
import httpx
import pytest
from bella_core.circuit import CircuitBreaker
from bella_core.logging import xray_trace_id
from bella_core.telemetry import (
    NO_NATIVE_TELEMETRY,
    RedactingSpanExporter,
    Telemetry,
    http_telemetry,
    instrument_redis,
    register_system_health,
    setup_telemetry,
    trace_channel,
    trace_servicer,
)
from bella_core.testing.otlp import OtlpReceiver
from fastapi import FastAPI
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from opentelemetry import trace
from opentelemetry.propagate import get_global_textmap, inject
from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

PHONE = "+16475550100"
HEALTH = health_pb2.DESCRIPTOR.services_by_name["Health"]


@pytest.fixture(autouse=True)
def _no_otlp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "OTEL_TRACES_EXPORTER",
        "OTEL_METRICS_EXPORTER",
        "OTEL_SDK_DISABLED",
        "OTEL_RESOURCE_ATTRIBUTES",
        "BELLA_TELEMETRY_CONSOLE",
        "ECS_CONTAINER_METADATA_URI",
        "ECS_CONTAINER_METADATA_URI_V4",
    ):
        monkeypatch.delenv(var, raising=False)


def _in_memory(service: str = "Voice", **kwargs):  # type: ignore[no-untyped-def]
    spans = InMemorySpanExporter()
    reader = InMemoryMetricReader()
    telemetry = setup_telemetry(
        service,
        span_processors=[SimpleSpanProcessor(spans)],
        metric_readers=[reader],
        set_global=False,
        **kwargs,
    )
    return telemetry, spans, reader


def _gauge_points(reader: InMemoryMetricReader, name: str) -> list:  # type: ignore[type-arg]
    data = reader.get_metrics_data()
    return [
        p
        for rm in (data.resource_metrics if data else [])
        for sm in rm.scope_metrics
        for m in sm.metrics
        if m.name == name
        for p in m.data.data_points
    ]


def test_resource_names_the_bella_namespace_and_service() -> None:
    telemetry, spans, _ = _in_memory("Booking", version="1.2.3", environment="staging")
    with telemetry.tracer.start_as_current_span("work"):
        pass
    resource = spans.get_finished_spans()[0].resource.attributes
    assert resource["service.namespace"] == "Bella"
    assert resource["service.name"] == "Booking"
    assert resource["service.version"] == "1.2.3"
    assert resource["deployment.environment"] == "staging"


def test_trace_ids_are_xray_compatible() -> None:
    telemetry, spans, _ = _in_memory()
    with telemetry.tracer.start_as_current_span("work"):
        pass
    trace_id = spans.get_finished_spans()[0].context.trace_id
    xray = xray_trace_id(trace_id)
    version, epoch, rest = xray.split("-")
    assert version == "1" and len(epoch) == 8 and len(rest) == 24
    # X-Ray rejects ids whose first 32 bits are not a recent epoch second.
    assert abs(int(epoch, 16) - time.time()) < 60


def test_no_endpoint_means_nothing_is_exported() -> None:
    telemetry = setup_telemetry("Voice", set_global=False)
    assert telemetry.exporting is False
    with telemetry.tracer.start_as_current_span("work"):
        pass
    telemetry.shutdown()


def test_global_propagation_writes_w3c_and_xray_headers() -> None:
    telemetry = setup_telemetry("Voice", set_global=True)
    with telemetry.tracer.start_as_current_span("outgoing") as span:
        carrier: dict[str, str] = {}
        inject(carrier)
    trace_hex = f"{span.get_span_context().trace_id:032x}"
    assert trace_hex in carrier["traceparent"]
    assert carrier["X-Amzn-Trace-Id"].startswith(f"Root={xray_trace_id(int(trace_hex, 16))}")
    assert "X-Amzn-Trace-Id" in get_global_textmap().fields


async def test_fastapi_request_continues_an_xray_trace_header() -> None:
    telemetry = setup_telemetry(
        "Voice",
        set_global=True,
        span_processors=[SimpleSpanProcessor(spans := InMemorySpanExporter())],
    )
    app = FastAPI(telemetry=http_telemetry(telemetry))

    @app.get("/ping/{n}")
    async def ping(n: int) -> dict[str, int]:
        return {"n": n}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"ok": "yes"}

    root = "1-6745a3b2-0123456789abcdef01234567"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get(
            "/ping/7", headers={"X-Amzn-Trace-Id": f"Root={root};Parent=53995c3f42cd8ad8;Sampled=1"}
        )
        assert (await client.get("/healthz")).status_code == 200
    assert response.status_code == 200
    server = [s for s in spans.get_finished_spans() if s.kind is trace.SpanKind.SERVER]
    # One span, named by the route (not the path), with the attributes X-Ray reads.
    assert [s.name for s in server] == ["GET /ping/{n}"]
    assert xray_trace_id(server[0].context.trace_id) == root
    attributes = server[0].attributes or {}
    assert attributes["http.request.method"] == "GET"
    assert attributes["http.route"] == "/ping/{n}"
    assert attributes["http.response.status_code"] == 200


@contextlib.asynccontextmanager
async def _traced_health_server(telemetry: Telemetry) -> AsyncIterator[str]:
    """A grpc.health server whose RPCs are traced by ``telemetry``; yields its address."""
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(
        trace_servicer(health.aio.HealthServicer(), HEALTH, telemetry), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(None)


async def test_grpc_spans_join_one_trace_across_client_and_server() -> None:
    telemetry, spans, _ = _in_memory()
    async with _traced_health_server(telemetry) as address:
        async with trace_channel(grpc.aio.insecure_channel(address), telemetry) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            await stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.Check(health_pb2.HealthCheckRequest(service="nope"), timeout=5)
    assert raised.value.code() is grpc.StatusCode.NOT_FOUND
    finished = spans.get_finished_spans()
    clients = [s for s in finished if s.kind is trace.SpanKind.CLIENT]
    served = [s for s in finished if s.kind is trace.SpanKind.SERVER]
    assert [s.name for s in clients] == ["/grpc.health.v1.Health/Check"] * 2
    for client, server_span in zip(clients, served, strict=True):
        assert server_span.context.trace_id == client.context.trace_id
        assert server_span.parent is not None
        assert server_span.parent.span_id == client.context.span_id
    ok, failed = served
    assert ok.attributes == {"rpc.system": "grpc", "rpc.service": "grpc.health.v1.Health",
                             "rpc.method": "Check", "rpc.grpc.status_code": 0}
    assert ok.status.is_ok
    # A status the servicer aborted with is the span's outcome, without the status message.
    assert failed.attributes["rpc.grpc.status_code"] == grpc.StatusCode.NOT_FOUND.value[0]
    assert clients[1].attributes["rpc.grpc.status_code"] == grpc.StatusCode.NOT_FOUND.value[0]
    assert not failed.status.is_ok and failed.status.description == "NOT_FOUND"


async def test_unsampled_calls_still_carry_the_decision_downstream() -> None:
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    caller, caller_spans, _ = _in_memory()
    caller.tracer_provider.sampler = ALWAYS_OFF  # type: ignore[misc]
    callee, callee_spans, _ = _in_memory("Booking")
    async with _traced_health_server(callee) as address:
        async with trace_channel(grpc.aio.insecure_channel(address), caller) as channel:
            await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
    # The callee's own sampler would keep everything; it follows the caller's "no" instead.
    assert caller_spans.get_finished_spans() == ()
    assert callee_spans.get_finished_spans() == ()


def test_telemetry_switched_off_instruments_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import opentelemetry.instrumentation.redis as redis_instrumentation

    touched: list[str] = []
    monkeypatch.setattr(redis_instrumentation, "RedisInstrumentor",
                        lambda: touched.append("redis"))
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    telemetry = setup_telemetry("Voice", set_global=False)
    assert not telemetry.enabled
    channel = grpc.aio.insecure_channel("127.0.0.1:1")
    servicer = health.aio.HealthServicer()
    assert trace_channel(channel, telemetry) is channel
    assert trace_servicer(servicer, HEALTH, telemetry) is servicer
    assert http_telemetry(telemetry) is NO_NATIVE_TELEMETRY
    instrument_redis(telemetry)
    assert touched == []


def test_redacting_exporter_scrubs_span_attributes_events_and_names() -> None:
    inner = InMemorySpanExporter()
    telemetry = setup_telemetry(
        "Voice",
        set_global=False,
        span_processors=[SimpleSpanProcessor(RedactingSpanExporter(inner))],
    )
    with telemetry.tracer.start_as_current_span(f"lookup {PHONE}") as span:
        span.set_attribute("bella.caller.phone", "6475550100")
        span.set_attribute("caller_name", "Jane Doe")
        span.set_attribute("http.url", "https://x/voice?From=%2B16475550100&CallSid=CA123")
        span.set_attribute("db.name", "bella")
        span.set_attribute("bella.clinic", "toronto")
        span.set_attribute("notes.list", ["call 647-555-0100", "fine"])
        span.record_exception(ValueError(f"no patient with phone {PHONE}"))
    exported = inner.get_finished_spans()[0]
    dumped = exported.to_json()
    assert "5550100" not in dumped and "Jane" not in dumped and "CA123" not in dumped
    assert exported.attributes["db.name"] == "bella"
    assert exported.attributes["bella.clinic"] == "toronto"
    assert exported.attributes["notes.list"] == ("call [redacted]", "fine")
    # The ids survive, so the redacted span still joins its trace.
    assert exported.context.trace_id == span.get_span_context().trace_id


async def test_otlp_export_adds_service_dimension_delta_and_redaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with OtlpReceiver() as receiver:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_INSECURE", "true")
        telemetry = setup_telemetry("NLP", set_global=False, environment="test")
        assert telemetry.exporting
        meter = telemetry.meter
        meter.create_counter("OpenAITokenUsage", unit="{token}").add(42, {"operation": "extract"})
        meter.create_histogram("ExtractionLatency", unit="ms").record(12.5)
        with telemetry.tracer.start_as_current_span("extract") as span:
            span.set_attribute("caller_text", "my number is 647 555 0100")
        telemetry.force_flush()
        wanted = {"OpenAITokenUsage", "ExtractionLatency"}
        assert receiver.wait_for(lambda r: wanted <= r.metric_names())
        assert receiver.wait_for(lambda r: bool(r.spans()))
        telemetry.shutdown()
    points = {p.metric: p for p in receiver.points()}
    tokens = points["OpenAITokenUsage"]
    assert tokens.attributes == {"operation": "extract", "service": "NLP"}
    assert tokens.temporality == AggregationTemporality.DELTA.value
    assert points["ExtractionLatency"].temporality == AggregationTemporality.DELTA.value
    assert points["ExtractionLatency"].attributes["service"] == "NLP"
    assert tokens.resource["service.namespace"] == "Bella"
    assert tokens.resource["deployment.environment"] == "test"
    span = receiver.spans()[0]
    assert span.attributes["caller_text"] == "[redacted]"


def test_traces_exporter_none_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    monkeypatch.setenv("OTEL_METRICS_EXPORTER", "none")
    assert setup_telemetry("Voice", set_global=False).exporting is False


def test_system_health_reports_share_of_healthy_components() -> None:
    telemetry, _, reader = _in_memory("Admin")
    health_ = register_system_health(telemetry)
    assert register_system_health(telemetry) is health_
    assert [p.value for p in _gauge_points(reader, "SystemHealth")] == [100.0]
    health_.set("database", True)
    health_.set("redis", False)
    assert [p.value for p in _gauge_points(reader, "SystemHealth")] == [50.0]


def test_system_health_check_function_wins_and_failures_read_as_zero() -> None:
    telemetry, _, reader = _in_memory()
    register_system_health(telemetry, lambda: False)
    assert [p.value for p in _gauge_points(reader, "SystemHealth")] == [0.0]
    register_system_health(telemetry, lambda: 250)
    assert [p.value for p in _gauge_points(reader, "SystemHealth")] == [100.0]

    def broken() -> float:
        raise RuntimeError("db gone")

    register_system_health(telemetry, broken)
    assert [p.value for p in _gauge_points(reader, "SystemHealth")] == [0.0]


async def test_system_health_probes_record_timeouts_as_unhealthy() -> None:
    telemetry, _, _ = _in_memory()
    health_ = register_system_health(telemetry)

    async def ok() -> bool:
        return True

    async def hangs() -> bool:
        await asyncio.sleep(5)
        return True

    await health_.probe_once({"database": ok, "calendar": hangs}, probe_timeout=0.05)
    assert health_.components == {"database": True, "calendar": False}
    assert health_.percent == 50.0


def test_every_circuit_breaker_on_a_meter_is_reported() -> None:
    telemetry, _, reader = _in_memory("Voice")
    nlp = CircuitBreaker("nlp", failure_threshold=1, meter=telemetry.meter)
    booking = CircuitBreaker("booking", meter=telemetry.meter)
    nlp.record_failure()
    points = _gauge_points(reader, "CircuitBreakerState")
    states = {p.attributes["dependency"]: p.value for p in points}
    assert states == {"nlp": 2, booking.name: 0}
