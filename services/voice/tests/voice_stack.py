"""The whole stack in one event loop for the voice tests and benchmark: the real
booking and NLP gRPC servers, PostgreSQL, Redis, and the voice app driven over
httpx's ASGITransport by the same Softphone as ``bella-voice call``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import holidays
import httpx
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_core.telemetry import setup_telemetry
from bella_voice.migrate import migrate
from bella_voice.service import VoiceRuntime, build_runtime
from bella_voice.settings import VoiceSettings
from bella_voice.softphone import Softphone
from google.protobuf.timestamp_pb2 import Timestamp

PUBLIC = "https://voice.bella.test"
TOKEN = "test-auth-token"
TORONTO = ZoneInfo("America/Toronto")


def fixed_now(today: date | None = None) -> datetime:
    """A Monday 09:00 in Toronto at least a week ahead, away from holidays, so
    'Tuesday at 10' always means the same free, open day."""
    day = (today or datetime.now(UTC).date()) + timedelta(days=8)
    day += timedelta(days=(7 - day.weekday()) % 7)
    on, bc = holidays.country_holidays("CA", subdiv="ON"), holidays.country_holidays(
        "CA", subdiv="BC")
    while any(day + timedelta(days=i) in on or day + timedelta(days=i) in bc
              for i in range(7)) or (day.month == 12 and day.day >= 18):
        day += timedelta(days=7)
    return datetime.combine(day, time(9, 0), TORONTO).astimezone(UTC)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def _start_nlp(redis_url: str) -> Any:
    from bella_nlp.server import start_server
    from bella_nlp.settings import NlpSettings

    settings = NlpSettings(nlp_grpc_port=0, nlp_grpc_host="127.0.0.1", redis_url=redis_url)
    return await start_server(settings, setup_telemetry("NLP", set_global=False))


@dataclass
class Stack:
    runtime: VoiceRuntime
    settings: VoiceSettings
    http: httpx.AsyncClient
    booking: booking_pb2_grpc.BookingServiceStub
    now: datetime
    servers: list[Any]
    channel: grpc.aio.Channel

    def phone(self, from_number: str = "+14165550199", to_number: str = "+16475550100",
              *, call_sid: str | None = None) -> Softphone:
        return Softphone(self.http, "http://voice", TOKEN, from_number=from_number,
                         to_number=to_number, public_base_url=PUBLIC, call_sid=call_sid)

    async def book_directly(self, *, name: str, phone: str, service: str, start: datetime,
                            key: str) -> booking_pb2.Appointment:
        return await self.booking.Book(booking_pb2.BookRequest(
            clinic_id="toronto", idempotency_key=key, patient_name=name, patient_phone=phone,
            service=service, start=ts(start), source=booking_pb2.BOOKING_SOURCE_ADMIN,
            now=ts(self.now)), timeout=5)

    async def appointments_of_call(self, call_sid: str, clinic: str = "toronto"
                                   ) -> list[booking_pb2.Appointment]:
        resp = await self.booking.ListAppointments(
            booking_pb2.ListAppointmentsRequest(clinic_id=clinic), timeout=5)
        return [a for a in resp.appointments if a.call_id == call_sid]

    async def appointments_of(self, phone: str, clinic: str = "toronto"
                              ) -> list[booking_pb2.Appointment]:
        resp = await self.booking.FindPatientAppointments(
            booking_pb2.FindPatientAppointmentsRequest(
                clinic_id=clinic, phone=phone, upcoming_only=True, now=ts(self.now)), timeout=5)
        return [a for a in resp.appointments
                if a.status == booking_pb2.APPOINTMENT_STATUS_BOOKED]


@contextlib.asynccontextmanager
async def running_stack(database_url: str, redis_url: str, *, metric_reader: Any = None,
                        **overrides: Any) -> AsyncIterator[Stack]:
    from bella_booking.migrations import migrate as migrate_booking
    from bella_booking.seed import seed
    from bella_booking.server import start_server
    from bella_booking.settings import BookingSettings

    await migrate_booking(database_url)
    await seed(database_url)
    migrate(database_url)
    booking_server = await start_server(
        BookingSettings(database_url=database_url, booking_grpc_port=0,
                        booking_grpc_host="127.0.0.1"),
        setup_telemetry("Booking", set_global=False))
    nlp_server = await _start_nlp(redis_url)
    now = fixed_now()
    settings = VoiceSettings(
        database_url=database_url, redis_url=redis_url, public_base_url=PUBLIC,
        twilio_auth_token=TOKEN, nlp_address=f"127.0.0.1:{nlp_server.port}",
        booking_address=f"127.0.0.1:{booking_server.port}", environment="test",
        **overrides,
    )
    telemetry = setup_telemetry("Voice", set_global=False,
                                metric_readers=[metric_reader] if metric_reader else [])
    runtime = build_runtime(settings, telemetry, clock=lambda: now, instrument_grpc=False)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{booking_server.port}")
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app),
                             base_url="http://voice", timeout=10)
    stack = Stack(runtime=runtime, settings=settings, http=http,
                  booking=booking_pb2_grpc.BookingServiceStub(channel), now=now,
                  servers=[booking_server, nlp_server], channel=channel)
    try:
        yield stack
    finally:
        await http.aclose()
        await runtime.close()
        await channel.close()
        await asyncio.gather(*(s.stop(0) for s in stack.servers), return_exceptions=True)
