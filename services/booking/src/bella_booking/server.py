"""The in-process starter: engine, store, servicer, gRPC server and (when configured)
the Google Calendar outbox worker. `__main__` and other services' tests use it."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import grpc
import sqlalchemy
import structlog
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_core.grpc_server import GrpcServer, start_grpc_server
from bella_core.telemetry import Telemetry, instrument_sqlalchemy, trace_servicer
from grpc_health.v1 import health_pb2
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool

from bella_booking.calendar_sync import CalendarWorker, build_calendar_worker
from bella_booking.metrics import BookingMetrics
from bella_booking.servicer import BookingServicer
from bella_booking.settings import BookingSettings
from bella_booking.store import BookingStore

log = structlog.get_logger(__name__)

SERVICE_NAME = booking_pb2.DESCRIPTOR.services_by_name["BookingService"].full_name


def create_engine(settings: BookingSettings) -> AsyncEngine:
    return create_async_engine(
        settings.database_url,
        pool_size=settings.booking_db_pool_size,
        max_overflow=settings.booking_db_max_overflow,
        pool_timeout=settings.booking_db_pool_timeout_seconds,
        # A connection that died with a PostgreSQL restart is noticed and replaced on checkout.
        pool_pre_ping=True,
        pool_recycle=1800,
        # Error messages must never carry a patient's name or phone (PHIPA): no bound values.
        hide_parameters=True,
        connect_args={
            "timeout": 5,
            "server_settings": {
                "application_name": "bella-booking",
                "statement_timeout": str(settings.booking_db_statement_timeout_ms),
                "TimeZone": "UTC",
            },
        },
    )


def instrument_database(engine: AsyncEngine, telemetry: Telemetry) -> None:
    """One SQL span per statement, without its parameters: SQLAlchemy's instrumentation where
    it supports the installed version (it refuses 2.1), else asyncpg's. Both at once would
    record every statement twice, and spans are most of telemetry's cost per turn. Both are
    process-wide: the first telemetry to instrument wins, as OpenTelemetry's instrumentors do."""
    major, minor = (int(part) for part in sqlalchemy.__version__.split(".")[:2])
    if (major, minor) < (2, 1):
        instrument_sqlalchemy(engine, telemetry)
        return
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    instrumentor = AsyncPGInstrumentor(capture_parameters=False)
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider)


def pool_usage(engine: AsyncEngine) -> float:
    pool = engine.sync_engine.pool
    if not isinstance(pool, QueuePool):
        return 0.0
    capacity = pool.size() + max(pool._max_overflow, 0)
    return 100.0 * pool.checkedout() / capacity if capacity else 0.0


@dataclass
class BookingServer(GrpcServer):
    """A started booking server; ``stop`` also stops the calendar worker and the pool."""

    store: BookingStore | None = None
    engine: AsyncEngine | None = None
    calendar: CalendarWorker | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def stop(self, grace: float) -> None:
        await super().stop(grace)
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.calendar is not None:
            await self.calendar.aclose()
        if self.engine is not None:
            await self.engine.dispose()


async def watch_database(
    server: GrpcServer, store: BookingStore, interval: float = 5.0, failures_to_flip: int = 3
) -> None:
    """Report ``bella.v1.BookingService`` NOT_SERVING while PostgreSQL is unreachable.

    Only the service-specific health name flips; the overall ("") status stays SERVING, so a
    liveness probe does not restart a process that will recover by itself.
    """
    failures = 0
    serving = True
    while True:
        await asyncio.sleep(interval)
        try:
            await store.ping()
        except Exception:
            failures += 1
        else:
            failures = 0
        healthy = failures < failures_to_flip
        if healthy != serving:
            serving = healthy
            status = (
                health_pb2.HealthCheckResponse.SERVING
                if healthy
                else health_pb2.HealthCheckResponse.NOT_SERVING
            )
            await server.health.set(SERVICE_NAME, status)
            log.warning("booking.db_health", serving=healthy)


async def start_server(settings: BookingSettings, telemetry: Telemetry) -> BookingServer:
    """Start the booking gRPC server (port 0 picks a free port; see ``.port``).

    The database must be migrated and seeded first (bella_booking.migrations.migrate,
    bella_booking.seed.seed).
    """
    engine = create_engine(settings)
    instrument_database(engine, telemetry)
    metrics = BookingMetrics(telemetry.meter, pool_usage=lambda: pool_usage(engine))
    store = BookingStore(
        engine,
        metrics,
        clinic_cache_seconds=settings.booking_clinic_cache_seconds,
        calendar_clinics=frozenset(settings.google_calendar_ids)
        if settings.calendar_enabled
        else frozenset(),
        tracer=telemetry.tracer,
    )
    servicer = trace_servicer(
        BookingServicer(store), booking_pb2.DESCRIPTOR.services_by_name["BookingService"],
        telemetry,
    )

    def register(server: grpc.aio.Server) -> None:
        booking_pb2_grpc.add_BookingServiceServicer_to_server(servicer, server)

    started = await start_grpc_server(
        host=settings.booking_grpc_host,
        port=settings.booking_grpc_port,
        register=register,
        service_names=[SERVICE_NAME],
    )
    calendar = (
        build_calendar_worker(settings, engine, metrics, meter=telemetry.meter)
        if settings.calendar_enabled
        else None
    )
    booking = BookingServer(
        server=started.server,
        health=started.health,
        port=started.port,
        service_names=started.service_names,
        store=store,
        engine=engine,
        calendar=calendar,
    )
    if calendar is not None:
        booking._tasks.append(asyncio.create_task(calendar.run(), name="calendar-outbox"))
    booking._tasks.append(
        asyncio.create_task(
            watch_database(booking, store, settings.booking_db_health_interval_seconds),
            name="booking-db-health",
        )
    )
    log.info("booking.started", port=started.port, calendar_sync=calendar is not None)
    return booking
