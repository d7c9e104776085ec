"""Wiring of the voice service, shared by ``__main__``, the tests and the benchmark:
gRPC channels (deadlines, retry policy for idempotent calls, breakers), Redis,
PostgreSQL, the conversation and the FastAPI app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import grpc
from bella.v1 import booking_pb2_grpc, nlp_pb2_grpc
from bella_core.circuit import CircuitBreaker
from bella_core.grpc_client import check_health, open_channel
from bella_core.telemetry import (
    Telemetry,
    http_telemetry,
    register_system_health,
    trace_channel,
)
from fastapi import FastAPI
from redis.asyncio import Redis

from bella_voice.callstate import CallStateStore
from bella_voice.clients import IDEMPOTENT_METHODS, ClinicDirectory, GrpcBackend, Guarded
from bella_voice.conversation import Conversation
from bella_voice.metrics import VoiceMetrics
from bella_voice.records import CallRecords
from bella_voice.settings import VoiceSettings
from bella_voice.sms import SmsSender, twilio_client
from bella_voice.webhooks import VoiceDeps, create_app


@dataclass
class VoiceRuntime:
    settings: VoiceSettings
    app: FastAPI
    deps: VoiceDeps
    redis: Redis
    records: CallRecords
    channels: list[grpc.aio.Channel] = field(default_factory=list)

    async def drain(self) -> None:
        await self.app.state.webhooks.drain()

    async def close(self) -> None:
        await self.drain()
        for channel in self.channels:
            await channel.close()
        await self.redis.aclose()  # type: ignore[attr-defined]
        await self.records.close()


def build_runtime(
    settings: VoiceSettings,
    telemetry: Telemetry,
    *,
    clock: Callable[[], datetime] | None = None,
    instrument_grpc: bool = True,
) -> VoiceRuntime:
    nlp_channel = open_channel(settings.nlp_address, idempotent=IDEMPOTENT_METHODS)
    booking_channel = open_channel(settings.booking_address, idempotent=IDEMPOTENT_METHODS)
    if instrument_grpc:
        nlp_channel = trace_channel(nlp_channel, telemetry)
        booking_channel = trace_channel(booking_channel, telemetry)
    meter = telemetry.meter
    nlp_guard = Guarded("nlp", CircuitBreaker("nlp", failure_threshold=3, reset_timeout=5.0,
                                              meter=meter), settings.nlp_timeout)
    booking_guard = Guarded("booking", CircuitBreaker("booking", failure_threshold=3,
                                                      reset_timeout=5.0, meter=meter),
                            settings.booking_timeout)
    booking = booking_pb2_grpc.BookingServiceStub(booking_channel)
    backend = GrpcBackend(nlp_pb2_grpc.NlpServiceStub(nlp_channel), booking,
                          nlp_guard=nlp_guard, booking_guard=booking_guard)
    sms = None
    if settings.twilio_account_sid and settings.twilio_auth_token:
        sms = SmsSender(twilio_client(settings.twilio_account_sid, settings.twilio_auth_token,
                                      settings.twilio_api_base_url))
    redis = Redis.from_url(settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0,
                           health_check_interval=30)
    records = CallRecords.from_url(settings.database_url)
    deps = VoiceDeps(
        conversation=Conversation(backend, sms_enabled=sms is not None),
        directory=ClinicDirectory(booking, booking_guard, snapshots=redis),
        store=CallStateStore(redis, ttl_seconds=settings.call_state_ttl_seconds),
        records=records,
        metrics=VoiceMetrics(meter, register_system_health(telemetry)),
        sms=sms,
        peers={
            "nlp": lambda: check_health(nlp_channel, timeout=0.5),
            "booking": lambda: check_health(booking_channel, timeout=0.5),
        },
    )
    if clock is not None:
        deps.clock = clock
    app = create_app(settings, deps, telemetry=http_telemetry(telemetry))
    return VoiceRuntime(settings=settings, app=app, deps=deps, redis=redis, records=records,
                        channels=[nlp_channel, booking_channel])
