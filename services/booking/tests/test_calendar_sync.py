"""Google Calendar sync through the outbox, against a local fake of the Calendar API:
pushes, updates, deletes, a long outage with nothing lost, and recovery."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import grpc
import pytest
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_booking.calendar_sync import event_id
from bella_booking.server import BookingServer, start_server
from bella_booking.settings import BookingSettings
from bella_core.circuit import BreakerState, CircuitBreaker
from sqlalchemy import text

from .fake_google_calendar import FakeGoogle, write_service_account
from .grpc_calls import NOW, book_request, ts

CLINIC = "test-vancouver"
CALENDAR = "vancouver-front-desk@group.calendar.google.com"


def vancouver(day: int, hour: int, minute: int = 0):  # type: ignore[no-untyped-def]
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(2027, 1, day, hour, minute, tzinfo=ZoneInfo("America/Vancouver"))


@pytest.fixture
def fake_google() -> AsyncIterator[FakeGoogle]:
    fake = FakeGoogle().start()
    yield fake
    fake.stop()


@pytest.fixture
async def calendar_server(
    fake_google: FakeGoogle, booking_database: str, telemetry, tmp_path: Path
) -> AsyncIterator[BookingServer]:
    credentials = write_service_account(tmp_path / "sa.json", "https://oauth2.invalid/token")
    settings = BookingSettings(
        database_url=booking_database,
        booking_grpc_host="127.0.0.1",
        booking_grpc_port=0,
        google_calendar_credentials_file=credentials,
        google_calendar_ids={CLINIC: CALENDAR},
        google_calendar_api_url=f"{fake_google.base_url}/calendar/v3",
        google_calendar_token_uri=f"{fake_google.base_url}/token",
        google_calendar_poll_seconds=0.05,
    )
    server = await start_server(settings, telemetry)
    assert server.calendar is not None
    # Test-sized breaker and retries: open after 3 failures, half-open after 0.3 s.
    server.calendar.breaker = CircuitBreaker(
        "google_calendar", failure_threshold=3, reset_timeout=0.3
    )
    server.calendar.call_attempts = 2
    yield server
    await server.stop(0)


async def eventually(check: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_bookings_reach_the_calendar_and_survive_an_outage(
    calendar_server: BookingServer, fake_google: FakeGoogle
) -> None:
    async with grpc.aio.insecure_channel(calendar_server.address) as channel:
        stub = booking_pb2_grpc.BookingServiceStub(channel)
        first = await stub.Book(
            book_request(
                vancouver(25, 9), clinic=CLINIC, name="Maya Fontaine", phone="+16045550142"
            ),
            timeout=10,
        )
        eid = event_id(first.id)
        events = lambda: fake_google.events.get(CALENDAR, {})  # noqa: E731
        await eventually(lambda: eid in events())
        event = events()[eid]
        assert event["summary"] == "Check-up: Maya F."
        assert event["start"] == {
            "dateTime": "2027-01-25T17:00:00+00:00",
            "timeZone": "America/Vancouver",
        }
        assert "5550142" not in str(event) and "Fontaine" not in str(event)
        assert fake_google.token_grants == 1

        moved = await stub.Reschedule(
            booking_pb2.RescheduleRequest(
                clinic_id=CLINIC,
                appointment_id=first.id,
                new_start=ts(vancouver(25, 10)),
                now=ts(NOW),
            ),
            timeout=10,
        )
        assert moved.start == ts(vancouver(25, 10))
        await eventually(lambda: events()[eid]["start"]["dateTime"] == "2027-01-25T18:00:00+00:00")

        # The calendar goes down. Bookings go on; their pushes stay pending, retried with backoff.
        fake_google.down = True
        during = []
        for hour in (11, 13, 14):
            during.append(
                await stub.Book(
                    book_request(vancouver(27, hour), clinic=CLINIC, key=uuid.uuid4().hex),
                    timeout=10,
                )
            )
        await stub.Cancel(
            booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id=first.id), timeout=10
        )
        await stub.Cancel(
            booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id=during[0].id), timeout=10
        )
        worker = calendar_server.calendar
        assert worker is not None
        await eventually(lambda: worker.breaker.state is not BreakerState.CLOSED)
        assert await worker.pending() >= 4
        engine = calendar_server.engine
        assert engine is not None
        async with engine.connect() as conn:
            attempts = (
                await conn.execute(
                    text("SELECT max(attempts) FROM booking.calendar_outbox WHERE done_at IS NULL")
                )
            ).scalar_one()
        assert attempts >= 1
        assert eid in events()  # the calendar still shows the old state; nothing was dropped

        # An hour later the calendar is back: the backoff delays have passed.
        fake_google.down = False
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE booking.calendar_outbox SET next_attempt_at = now()"))
        deadline = time.monotonic() + 20
        while await worker.pending():
            assert time.monotonic() < deadline, "outbox did not drain after recovery"
            await asyncio.sleep(0.1)
        assert worker.breaker.state is BreakerState.CLOSED
        final = events()
        assert eid not in final  # cancelled while the calendar was down: deleted afterwards
        assert event_id(during[0].id) not in final
        assert {event_id(a.id) for a in during[1:]} <= set(final)
        assert final[event_id(during[1].id)]["start"]["dateTime"] == "2027-01-27T21:00:00+00:00"
