"""Admin test fixtures: real booking and call-record gRPC servers in this event loop, a
migrated admin schema, demo data, and the admin app behind httpx (ASGI)."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from bella_admin.app import AdminDeps, create_app
from bella_admin.migrate import migrate
from bella_core.telemetry import Telemetry, setup_telemetry
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

sys.path.insert(0, str(Path(__file__).parent))

from admin_testkit import (
    CLINIC,
    PASSWORD,
    TEST_CLINICS,
    World,
    make_settings,
    seed_world,
)


@pytest.fixture(scope="session")
def admin_metric_reader() -> InMemoryMetricReader:
    return InMemoryMetricReader()


@pytest.fixture(scope="session")
def admin_telemetry(admin_metric_reader: InMemoryMetricReader) -> Telemetry:
    return setup_telemetry("Admin", metric_readers=[admin_metric_reader], set_global=False)


@pytest.fixture(scope="session")
async def backends(database_url: str, admin_telemetry: Telemetry) -> AsyncIterator[dict[str, str]]:
    """Booking and voice's CallRecordService, real, on port 0."""
    from bella_booking.migrations import migrate as booking_migrate
    from bella_booking.seed import seed
    from bella_booking.server import start_server
    from bella_booking.settings import BookingSettings
    from bella_voice.callrecord_service import start_call_record_server
    from bella_voice.migrate import migrate as voice_migrate
    from bella_voice.records import CallRecords
    from bella_voice.settings import VoiceSettings

    await booking_migrate(database_url)
    await seed(database_url)
    await seed(database_url, TEST_CLINICS)
    await voice_migrate(database_url)
    await migrate(database_url)
    booking = await start_server(
        BookingSettings(database_url=database_url, booking_grpc_host="127.0.0.1",
                        booking_grpc_port=0),
        admin_telemetry,
    )
    records = CallRecords.from_url(database_url, pool_size=4)
    voice = await start_call_record_server(
        VoiceSettings(database_url=database_url, host="127.0.0.1"), records=records, port=0
    )
    yield {"booking": f"127.0.0.1:{booking.port}", "voice": f"127.0.0.1:{voice.port}",
           "database_url": database_url}
    await voice.stop(0)
    await booking.stop(0)
    await records.close()


@pytest.fixture(scope="session")
async def admin_deps(
    database_url: str, redis_url: str, backends: dict[str, str], admin_telemetry: Telemetry
) -> AsyncIterator[AdminDeps]:
    settings = make_settings(database_url, redis_url, backends)
    deps = await AdminDeps.open(settings, admin_telemetry)
    yield deps
    await deps.close()


@pytest.fixture(scope="session")
async def app(admin_deps: AdminDeps):  # type: ignore[no-untyped-def]
    return create_app(admin_deps.settings, admin_deps)


@pytest.fixture(scope="session")
async def world(backends: dict[str, str]) -> World:
    return await seed_world(backends)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://admin.test") as c:
        yield c


_users: dict[tuple[str, str], str] = {}


@pytest.fixture
def make_user(admin_deps: AdminDeps) -> Callable[..., asyncio.Future[str]]:
    """Create a user with a unique email; returns the email."""

    async def create(role: str = "staff", clinic: str = CLINIC, password: str = PASSWORD,
                     must_change: bool = False) -> str:
        email = f"{role}-{uuid.uuid4().hex[:8]}@{clinic}.test"
        await admin_deps.users.create(clinic_id=clinic, email=email, role=role,
                                      password=password, must_change_password=must_change)
        return email

    return create  # type: ignore[return-value]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the item, so browser fixtures can screenshot failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
