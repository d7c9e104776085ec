"""A PostgreSQL restart under load: requests in flight fail cleanly with UNAVAILABLE, and the
same server process serves again once the database is back (no restart of the service)."""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import grpc
import pytest
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_booking.migrations import migrate
from bella_booking.seed import seed
from bella_booking.server import SERVICE_NAME, start_server
from bella_booking.settings import BookingSettings
from grpc_health.v1 import health_pb2, health_pb2_grpc

from .conftest import TEST_CLINICS
from .grpc_calls import CLINIC, NOW, book_request, toronto, ts


class OwnPostgres:
    """A private pgserver this test may stop and start without disturbing other suites."""

    def __init__(self) -> None:
        import pgserver

        self.pgserver = pgserver
        self.server = pgserver.get_server(
            Path(tempfile.mkdtemp(prefix="bella-pg-restart-")), cleanup_mode="delete"
        )
        parts = urlsplit(self.server.get_uri())
        query = urlencode({"host": parse_qs(parts.query)["host"][0]})
        self.url = urlunsplit(("postgresql", "postgres@", "/postgres", query, ""))

    def _ctl(self, *args: str) -> None:
        self.pgserver.pg_ctl(["-w", *args], pgdata=self.server.pgdata, user=self.server.system_user)

    async def stop(self) -> None:
        await asyncio.to_thread(self._ctl, "-m", "fast", "stop")

    async def start(self) -> None:
        # pg_ctl start needs the original options (socket dir, no TCP): restart them from
        # postmaster.opts by letting pgserver start it again.
        await asyncio.to_thread(self.server.ensure_postgres_running)


@pytest.fixture
async def own_postgres() -> AsyncIterator[OwnPostgres]:
    pg = OwnPostgres()
    await migrate(pg.url)
    await seed(pg.url, TEST_CLINICS)
    yield pg
    pg.server.cleanup()


async def _wait_health(health, service: str, status: int) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 15
    while (
        await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
    ).status != status:
        assert time.monotonic() < deadline, f"health of {service!r} never became {status}"
        await asyncio.sleep(0.1)


async def test_postgres_restart_fails_cleanly_and_recovers(own_postgres, telemetry) -> None:
    settings = BookingSettings(
        database_url=own_postgres.url,
        booking_grpc_host="127.0.0.1",
        booking_grpc_port=0,
        booking_db_pool_size=5,
        booking_db_health_interval_seconds=0.2,
    )
    server = await start_server(settings, telemetry)
    channel = grpc.aio.insecure_channel(server.address)
    stub = booking_pb2_grpc.BookingServiceStub(channel)
    health = health_pb2_grpc.HealthStub(channel)
    outcomes: Counter[str] = Counter()
    stop = asyncio.Event()
    day = [18]  # the load books Monday 18 January, then Wednesday 20 after the restart

    async def load(worker: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            start = toronto(2027, 1, day[0], 8) + timedelta(minutes=15 * ((worker * 7 + i) % 12))
            try:
                await stub.Book(
                    book_request(start, phone=f"+1416555{4000 + worker:04d}"), timeout=10
                )
                outcomes["OK"] += 1
            except grpc.aio.AioRpcError as err:
                outcomes[err.code().name] += 1
            await asyncio.sleep(0.01)

    try:
        workers = [asyncio.create_task(load(w)) for w in range(4)]
        await asyncio.sleep(0.5)
        await own_postgres.stop()
        down_started = time.monotonic()
        # While the database is down every call says UNAVAILABLE, quickly.
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.FindSlots(
                booking_pb2.FindSlotsRequest(clinic_id=CLINIC, service="checkup", now=ts(NOW)),
                timeout=10,
            )
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "try again" in caught.value.details()
        assert time.monotonic() - down_started < 8
        # Readiness follows the database; liveness ("") does not, so nothing restarts the service.
        await _wait_health(health, SERVICE_NAME, health_pb2.HealthCheckResponse.NOT_SERVING)
        assert (
            await health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        ).status == health_pb2.HealthCheckResponse.SERVING
        await own_postgres.start()
        # Back without restarting the service: the pool replaces its dead connections.
        deadline = time.monotonic() + 20
        while True:
            try:
                found = await stub.FindSlots(
                    booking_pb2.FindSlotsRequest(
                        clinic_id=CLINIC,
                        service="checkup",
                        preferred_date="2027-01-19",
                        now=ts(NOW),
                    ),
                    timeout=10,
                )
                break
            except grpc.aio.AioRpcError as err:
                assert err.code() == grpc.StatusCode.UNAVAILABLE
                assert time.monotonic() < deadline, "service did not recover"
                await asyncio.sleep(0.2)
        assert found.slots
        await _wait_health(health, SERVICE_NAME, health_pb2.HealthCheckResponse.SERVING)
        ok_before = outcomes["OK"]
        day[0] = 20
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.gather(*workers)
        assert outcomes["OK"] > ok_before, "bookings succeed again after the restart"
        assert outcomes["UNAVAILABLE"] >= 1
        # Nothing but clean outcomes: booked, taken (the load reuses slots) or unavailable.
        assert set(outcomes) <= {"OK", "ALREADY_EXISTS", "UNAVAILABLE"}, outcomes
        booked = await stub.Book(
            book_request(toronto(2027, 1, 19, 9), key=uuid.uuid4().hex), timeout=10
        )
        assert booked.status == booking_pb2.APPOINTMENT_STATUS_BOOKED
    finally:
        stop.set()
        await channel.close()
        await server.stop(0)
