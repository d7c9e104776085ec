"""Booking figures: bookings per second through gRPC with a warm pool, and FindSlots latency
(p50/p99) on a clinic with six chairs and three months of appointments.

    python -m bella_booking.bench        # embedded PostgreSQL, or BELLA_DATABASE_URL when set

Bounded to about two minutes. Uses its own ``bench`` clinic; its appointments are replaced.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import grpc
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_core.databases import asyncpg_url, start_embedded_postgres
from bella_core.telemetry import setup_telemetry
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bella_booking.config import load_clinics
from bella_booking.migrations import migrate
from bella_booking.rules import clinic_from_config
from bella_booking.seed import seed
from bella_booking.server import start_server
from bella_booking.settings import BookingSettings
from bella_booking.tables import appointments, calendar_outbox, chairs, patients

CLINIC = "bench"
TORONTO = ZoneInfo("America/Toronto")
SEEDED_DAYS = 92
FILL = 0.75  # share of each chair's day that is booked
BOOK_CONCURRENCY = 16
BOOK_SECONDS = 20.0
FIND_CALLS = 2000
BUDGET_SECONDS = 110.0


def _ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value.astimezone(UTC))
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _seed_appointments(url: str, now: datetime) -> int:
    """Three months of appointments on all six chairs (about FILL of opening hours)."""
    config = {c.id: c for c in load_clinics(_bench_config())}[CLINIC]
    engine = create_async_engine(asyncpg_url(url))
    rng = random.Random(7)
    try:
        async with engine.begin() as conn:
            await conn.execute(delete(calendar_outbox).where(calendar_outbox.c.clinic_id == CLINIC))
            await conn.execute(delete(appointments).where(appointments.c.clinic_id == CLINIC))
            await conn.execute(delete(patients).where(patients.c.clinic_id == CLINIC))
            chair_rows = (
                await conn.execute(
                    select(chairs.c.code, chairs.c.id).where(chairs.c.clinic_id == CLINIC)
                )
            ).all()
            chair_ids: dict[str, int] = {code: chair_id for code, chair_id in chair_rows}
            clinic = clinic_from_config(config, chair_ids)
            patient_rows = [
                {
                    "id": str(uuid.uuid4()),
                    "clinic_id": CLINIC,
                    "name": f"Bench Patient {i}",
                    "phone": f"+1647555{i:04d}",
                }
                for i in range(1000, 3000)
            ]
            await conn.execute(patients.insert(), patient_rows)
            services = list(clinic.services.values())
            rows: list[dict[str, Any]] = []
            first = clinic.local_date(now)
            for offset in range(SEEDED_DAYS):
                day = first + timedelta(days=offset)
                for chair in clinic.chairs:
                    for seg_start, seg_end in clinic.segments(day):
                        t = seg_start
                        while True:
                            service = rng.choice(services)
                            end = t + service.duration
                            if end > seg_end:
                                break
                            if rng.random() < FILL:
                                rows.append(
                                    {
                                        "id": str(uuid.uuid4()),
                                        "clinic_id": CLINIC,
                                        "patient_id": rng.choice(patient_rows)["id"],
                                        "service": service.code,
                                        "chair_id": chair.id,
                                        "start_at": t,
                                        "end_at": end,
                                        "blocked_until": end + clinic.buffer,
                                        "status": "booked",
                                        "source": "admin",
                                        "idempotency_key": uuid.uuid4().hex,
                                        "request_hash": "seed",
                                    }
                                )
                            t = end + clinic.buffer
                            # Leave the odd gap that no service fits, as real days do.
                            t += timedelta(minutes=rng.choice((0, 0, 5, 15)))
            for i in range(0, len(rows), 2000):
                await conn.execute(appointments.insert(), rows[i : i + 2000])
            await conn.execute(text("ANALYZE booking.appointments"))
        return len(rows)
    finally:
        await engine.dispose()


def _bench_config() -> Path:
    return Path(str(resources.files("bella_booking").joinpath("clinics/bench.yaml")))


async def _find_slots_latency(
    stub: booking_pb2_grpc.BookingServiceStub, now: datetime, calls: int, deadline: float
) -> list[float]:
    rng = random.Random(11)
    services = ["cleaning", "checkup", "filling", "crown", "root_canal", "consultation"]
    latencies = []
    for _ in range(calls):
        if time.monotonic() > deadline:
            break
        day = (now + timedelta(days=rng.randrange(0, SEEDED_DAYS))).date()
        kind = rng.random()
        request = booking_pb2.FindSlotsRequest(
            clinic_id=CLINIC,
            service=rng.choice(services),
            now=_ts(now),
            limit=2,
            preferred_date=day.isoformat() if kind > 0.2 else "",
            preferred_time=f"{rng.randrange(8, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"
            if kind > 0.6
            else "",
            part_of_day=rng.choice(("morning", "afternoon", "evening"))
            if 0.2 < kind <= 0.6
            else "",
        )
        started = time.perf_counter()
        await stub.FindSlots(request, timeout=5)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def _bookings_per_second(
    stub: booking_pb2_grpc.BookingServiceStub, now: datetime, seconds: float
) -> tuple[int, int, float]:
    """Concurrent Book calls into the empty months after the seeded ones (distinct slots)."""
    slots: asyncio.Queue[tuple[datetime, str]] = asyncio.Queue()
    first = (now + timedelta(days=SEEDED_DAYS + 3)).date()
    zone = TORONTO
    config = {c.id: c for c in load_clinics(_bench_config())}[CLINIC]
    clinic = clinic_from_config(config, {c.code: i for i, c in enumerate(config.chairs)})
    for offset in range(200):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5 or not clinic.segments(day):  # weekends and holidays
            continue
        for chair in range(1, 7):
            for minutes in range(0, 4 * 60 - 30, 40):  # 08:00-12:00, checkups 40 min apart
                start = datetime.combine(day, clock(8), tzinfo=zone) + timedelta(minutes=minutes)
                slots.put_nowait((start, f"chair-{chair}"))
    # Callers book all over the calendar, not chair by chair.
    pending = [slots.get_nowait() for _ in range(slots.qsize())]
    random.Random(3).shuffle(pending)
    for item in pending:
        slots.put_nowait(item)
    ok = failed = 0
    stop_at = time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal ok, failed
        rng = random.Random(n)
        while time.monotonic() < stop_at and not slots.empty():
            start, chair = slots.get_nowait()
            try:
                await stub.Book(
                    booking_pb2.BookRequest(
                        clinic_id=CLINIC,
                        idempotency_key=uuid.uuid4().hex,
                        patient_name="Bench Caller",
                        patient_phone=f"+1416555{rng.randrange(10000):04d}",
                        service="checkup",
                        start=_ts(start),
                        chair_id=chair,
                        source=booking_pb2.BOOKING_SOURCE_PHONE,
                        now=_ts(now),
                    ),
                    timeout=10,
                )
                ok += 1
            except grpc.aio.AioRpcError:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(BOOK_CONCURRENCY)))
    return ok, failed, time.perf_counter() - started


async def run(database_url: str) -> dict[str, float]:
    begun = time.monotonic()
    await migrate(database_url)
    await seed(database_url, _bench_config())
    now = datetime(2027, 1, 4, 7, 0, tzinfo=TORONTO).astimezone(UTC)
    seeded = await _seed_appointments(database_url, now)
    telemetry = setup_telemetry("Booking", set_global=False)
    settings = BookingSettings(
        database_url=database_url,
        booking_grpc_host="127.0.0.1",
        booking_grpc_port=0,
        booking_db_pool_size=BOOK_CONCURRENCY,
        booking_db_max_overflow=4,
    )
    server = await start_server(settings, telemetry)
    try:
        async with grpc.aio.insecure_channel(server.address) as channel:
            stub = booking_pb2_grpc.BookingServiceStub(channel)
            await _find_slots_latency(stub, now, 100, time.monotonic() + 10)  # warm up
            deadline = begun + BUDGET_SECONDS - BOOK_SECONDS - 5
            latencies = await _find_slots_latency(stub, now, FIND_CALLS, deadline)
            # The store alone (no gRPC), to separate slot computation from transport.
            assert server.store is not None
            from bella_booking.slots import Preference

            store_ms = []
            rng = random.Random(5)
            for _ in range(min(1000, len(latencies))):
                day = (now + timedelta(days=rng.randrange(0, SEEDED_DAYS))).date()
                t0 = time.perf_counter()
                await server.store.find_slots(
                    CLINIC,
                    rng.choice(["cleaning", "checkup", "crown"]),
                    Preference(day=day, time=clock(rng.randrange(8, 17))),
                    now,
                    2,
                )
                store_ms.append((time.perf_counter() - t0) * 1000)
            ok, failed, elapsed = await _bookings_per_second(stub, now, BOOK_SECONDS)
    finally:
        await server.stop(0)
        telemetry.shutdown()
    return {
        "seeded_appointments": seeded,
        "find_slots_calls": len(latencies),
        "find_slots_p50_ms": statistics.median(latencies),
        "find_slots_p99_ms": _percentile(latencies, 0.99),
        "find_slots_store_p50_ms": statistics.median(store_ms),
        "find_slots_store_p99_ms": _percentile(store_ms, 0.99),
        "bookings_ok": ok,
        "bookings_failed": failed,
        "bookings_per_second": ok / elapsed if elapsed else 0.0,
        "book_concurrency": BOOK_CONCURRENCY,
    }


def main() -> None:
    url = os.environ.get("BELLA_DATABASE_URL")
    server = None
    if not url:
        server, url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="bella-bench-pg-")))
    try:
        figures = asyncio.run(run(url))
    finally:
        if server is not None:
            server.cleanup()
    print("booking benchmark (6 chairs, 3 months of appointments, gRPC on localhost)")
    print(f"  seeded appointments      {figures['seeded_appointments']:.0f}")
    print(
        f"  FindSlots via gRPC       p50 {figures['find_slots_p50_ms']:.2f} ms   "
        f"p99 {figures['find_slots_p99_ms']:.2f} ms   ({figures['find_slots_calls']:.0f} calls)"
    )
    print(
        f"  FindSlots in the store   p50 {figures['find_slots_store_p50_ms']:.2f} ms   "
        f"p99 {figures['find_slots_store_p99_ms']:.2f} ms"
    )
    print(
        f"  Book via gRPC            {figures['bookings_per_second']:.0f} bookings/s "
        f"({figures['bookings_ok']:.0f} booked, {figures['bookings_failed']:.0f} refused, "
        f"{figures['book_concurrency']:.0f} concurrent callers, warm pool)"
    )


if __name__ == "__main__":
    main()
