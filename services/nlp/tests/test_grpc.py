"""The real gRPC server in-process on port 0."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import grpc
import pytest
from bella.v1 import nlp_pb2, nlp_pb2_grpc
from bella_core.grpc_server import GrpcServer
from bella_core.telemetry import setup_telemetry
from bella_nlp.server import start_server
from bella_nlp.settings import NlpSettings
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

SPANS = InMemorySpanExporter()
METRICS = InMemoryMetricReader()


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[GrpcServer]:
    telemetry = setup_telemetry("NLP", set_global=False,
                                span_processors=[SimpleSpanProcessor(SPANS)],
                                metric_readers=[METRICS])
    started = await start_server(NlpSettings(nlp_grpc_host="127.0.0.1", nlp_grpc_port=0),
                                 telemetry)
    yield started
    await started.stop(0)


@pytest.fixture
async def stub(server: GrpcServer) -> AsyncIterator[nlp_pb2_grpc.NlpServiceStub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield nlp_pb2_grpc.NlpServiceStub(channel)


def when(iso: str) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(dt.datetime.fromisoformat(iso))
    return ts


async def test_extract_returns_fields_in_the_contracts_form(
    stub: nlp_pb2_grpc.NlpServiceStub,
) -> None:
    request = nlp_pb2.ExtractRequest(
        text="Hi, it's Sophie Gauthier, 514-555-0153. Um, a cleaning next Thursday at 10:30.",
        expect=nlp_pb2.EXPECT_INTENT,
        now=when("2026-04-20T09:40:00-04:00"),
        time_zone="America/Toronto",
        clinic_id="toronto",
    )
    reply = await stub.Extract(request, timeout=5)
    assert reply.intent == nlp_pb2.INTENT_BOOK
    assert (reply.name, reply.phone, reply.service) == ("Sophie Gauthier", "+15145550153",
                                                        "cleaning")
    assert (reply.date, reply.time) == ("2026-04-23", "10:30")
    assert reply.part_of_day == nlp_pb2.PART_OF_DAY_UNSPECIFIED
    assert reply.engine == "rules" and not reply.cached
    assert 0 < reply.confidence.phone <= 1 and reply.confidence.confirm == 0
    assert not reply.cleaned_text.startswith("Um")


async def test_confirm_and_part_of_day_enums(stub: nlp_pb2_grpc.NlpServiceStub) -> None:
    reply = await stub.Extract(
        nlp_pb2.ExtractRequest(text="Actually no, the afternoon instead.",
                               expect=nlp_pb2.EXPECT_CONFIRM,
                               now=when("2026-04-20T09:40:00-04:00"),
                               time_zone="America/Toronto"),
        timeout=5,
    )
    assert reply.confirm == nlp_pb2.YES_NO_NO
    assert reply.part_of_day == nlp_pb2.PART_OF_DAY_AFTERNOON


async def test_oversize_text_is_invalid_argument(stub: nlp_pb2_grpc.NlpServiceStub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.Extract(nlp_pb2.ExtractRequest(text="a" * 4097), timeout=5)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_empty_request_gives_an_empty_answer(stub: nlp_pb2_grpc.NlpServiceStub) -> None:
    reply = await stub.Extract(nlp_pb2.ExtractRequest(), timeout=5)
    assert reply.intent == nlp_pb2.INTENT_UNSPECIFIED and reply.name == "" and reply.phone == ""


async def test_health_and_no_caller_data_in_spans(server: GrpcServer) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        status = await health.Check(
            health_pb2.HealthCheckRequest(service="bella.v1.NlpService"), timeout=5
        )
        assert status.status == health_pb2.HealthCheckResponse.SERVING
        stub = nlp_pb2_grpc.NlpServiceStub(channel)
        await stub.Extract(nlp_pb2.ExtractRequest(text="My name is Zed Quintero, 416-555-0177",
                                                  expect=nlp_pb2.EXPECT_NAME), timeout=5)
    spans = SPANS.get_finished_spans()
    served = [s for s in spans if s.name == "/bella.v1.NlpService/Extract"]
    assert served and served[-1].attributes["bella.outcome"] == "rules"
    assert served[-1].attributes["bella.expect"] == "name"
    dump = repr([(s.name, dict(s.attributes or {})) for s in spans])
    assert "Quintero" not in dump and "5550177" not in dump


async def test_metrics_are_recorded_with_low_cardinality_attributes(
    stub: nlp_pb2_grpc.NlpServiceStub,
) -> None:
    await stub.Extract(nlp_pb2.ExtractRequest(text="Um, the the cleaning, please.",
                                              expect=nlp_pb2.EXPECT_SERVICE), timeout=5)
    data = METRICS.get_metrics_data()
    seen: dict[str, list[dict]] = {}
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                seen[m.name] = [dict(p.attributes or {}) for p in m.data.data_points]
    for name in ("ExtractionAccuracy", "ExtractionLatency", "ArtifactFilteringEffectiveness",
                 "SystemHealth"):
        assert name in seen, (name, sorted(seen))
    allowed = {"operation", "outcome", "service"}
    for name in ("ExtractionAccuracy", "ExtractionLatency", "ArtifactFilteringEffectiveness"):
        for attrs in seen[name]:
            assert set(attrs) <= allowed, (name, attrs)
