"""In-process start of the NLP gRPC server, for __main__, the stack and other
services' integration tests."""

from __future__ import annotations

import contextlib

import grpc
from bella.v1 import nlp_pb2, nlp_pb2_grpc
from bella_core.circuit import CircuitBreaker
from bella_core.grpc_server import GrpcServer, start_grpc_server
from bella_core.telemetry import (
    Telemetry,
    instrument_redis,
    register_system_health,
    trace_servicer,
)
from redis.asyncio import Redis

from bella_nlp.cache import ExtractionCache
from bella_nlp.engine import NlpEngine
from bella_nlp.llm import LlmEngine
from bella_nlp.metrics import NlpMetrics
from bella_nlp.servicer import SERVICE_NAME, NlpServicer
from bella_nlp.settings import NlpSettings


def build_engine(
    settings: NlpSettings, telemetry: Telemetry, redis: Redis | None = None
) -> NlpEngine:
    metrics = NlpMetrics(telemetry.meter)
    cache = None
    if redis is not None:
        cache = ExtractionCache(redis, settings.nlp_cache_ttl_seconds,
                                settings.nlp_cache_timeout_seconds)
    elif settings.redis_url:
        cache = ExtractionCache.from_url(settings.redis_url, settings.nlp_cache_ttl_seconds,
                                         settings.nlp_cache_timeout_seconds)
    if cache is not None:
        with contextlib.suppress(Exception):  # instrumenting twice in one process is refused
            instrument_redis(telemetry)
    llm = None
    if settings.llm_enabled and settings.openai_api_key is not None:
        breaker = CircuitBreaker(
            "openai",
            failure_threshold=settings.nlp_breaker_failures,
            reset_timeout=settings.nlp_breaker_reset_seconds,
            meter=telemetry.meter,
        )
        llm = LlmEngine.create(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            timeout_seconds=settings.openai_timeout_seconds,
            min_confidence=settings.nlp_llm_min_confidence,
            metrics=metrics,
            breaker=breaker,
        )

    def health() -> float:
        # The rules engine always answers; a cache that is down halves the score.
        return 100.0 if cache is None or cache.healthy else 50.0

    register_system_health(telemetry, health)
    return NlpEngine(metrics, cache=cache, llm=llm)


async def start_server(
    settings: NlpSettings, telemetry: Telemetry, redis: Redis | None = None
) -> GrpcServer:
    """Start the NLP gRPC server (port 0 picks a free port; see ``.port``)."""
    engine = build_engine(settings, telemetry, redis)
    servicer = trace_servicer(
        NlpServicer(engine), nlp_pb2.DESCRIPTOR.services_by_name["NlpService"], telemetry
    )

    def register(server: grpc.aio.Server) -> None:
        nlp_pb2_grpc.add_NlpServiceServicer_to_server(servicer, server)

    return await start_grpc_server(
        host=settings.nlp_grpc_host,
        port=settings.nlp_grpc_port,
        register=register,
        service_names=[SERVICE_NAME],
    )
