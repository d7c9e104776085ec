"""Booking test fixtures: a migrated, seeded database and a real server on port 0."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from bella.v1 import booking_pb2_grpc
from bella_booking.migrations import migrate
from bella_booking.seed import seed
from bella_booking.server import BookingServer, start_server
from bella_booking.settings import BookingSettings
from bella_core.telemetry import Telemetry, setup_telemetry
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

TEST_CLINICS = Path(__file__).parent / "clinics.yaml"


@pytest.fixture(scope="session")
async def booking_database(database_url: str) -> str:
    await migrate(database_url)
    await seed(database_url)
    await seed(database_url, TEST_CLINICS)
    return database_url


@pytest.fixture(scope="session")
def metric_reader() -> InMemoryMetricReader:
    return InMemoryMetricReader()


@pytest.fixture(scope="session")
def span_exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture(scope="session")
def telemetry(
    metric_reader: InMemoryMetricReader, span_exporter: InMemorySpanExporter
) -> Telemetry:
    return setup_telemetry(
        "Booking",
        metric_readers=[metric_reader],
        span_processors=[SimpleSpanProcessor(span_exporter)],
        set_global=False,
    )


@pytest.fixture(scope="session")
def booking_settings(booking_database: str) -> BookingSettings:
    return BookingSettings(
        database_url=booking_database,
        booking_grpc_host="127.0.0.1",
        booking_grpc_port=0,
        booking_db_pool_size=20,
        booking_db_max_overflow=10,
        # The race tests queue 60 transactions on one chair; on a loaded CI machine the last
        # one may wait longer for a connection, and for the chair-day lock, than the
        # production defaults allow (5 s each, after which the caller is told to retry).
        booking_db_pool_timeout_seconds=60,
        booking_db_statement_timeout_ms=60_000,
    )


@pytest.fixture(scope="session")
async def booking_server(
    booking_settings: BookingSettings, telemetry: Telemetry
) -> AsyncIterator[BookingServer]:
    server = await start_server(booking_settings, telemetry)
    yield server
    await server.stop(0)


@pytest.fixture(scope="session")
async def stub(booking_server: BookingServer) -> AsyncIterator[booking_pb2_grpc.BookingServiceStub]:
    channel = grpc.aio.insecure_channel(booking_server.address)
    yield booking_pb2_grpc.BookingServiceStub(channel)
    await channel.close()
