"""The command line (migrate, seed, configuration errors) and the metrics a booking emits."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from .grpc_calls import TIMEOUT, book_request, toronto

ALLOWED_DIMENSIONS = {"operation", "outcome", "clinic", "dependency"}


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bella_booking", *args],
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_migrate_and_seed_are_idempotent_commands(booking_database: str) -> None:
    env = {"BELLA_DATABASE_URL": booking_database}
    # The fixture already migrated and seeded this database: both must be no-ops that succeed.
    for args in (("migrate", "--wait", "10"), ("seed",)):
        done = await asyncio.to_thread(_cli, *args, env=env)
        assert done.returncode == 0, done.stderr


def test_missing_database_url_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bella_booking.__main__ import main

    monkeypatch.delenv("BELLA_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as caught:
        main(["migrate"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("configuration error: BELLA_DATABASE_URL")
    assert len(err.strip().splitlines()) == 1


async def test_bad_clinic_file_stops_seed_with_the_field(
    tmp_path: Path, booking_database: str
) -> None:
    bad = tmp_path / "clinics.yaml"
    bad.write_text(
        "clinics:\n  - id: broken\n    name: Broken\n    time_zone: America/Toronto\n"
        "    province: ON\n    phone_number: '+16475550150'\n    services: {}\n"
        "    hours: {}\n    chairs: [{code: c1, name: C1, services: []}]\n"
    )
    done = await asyncio.to_thread(
        _cli, "seed", "--config", str(bad), env={"BELLA_DATABASE_URL": booking_database}
    )
    assert done.returncode == 1
    assert "province" in done.stderr  # a bare ON is YAML for true
    assert "Traceback" not in done.stderr


async def test_metrics_carry_outcomes_and_no_personal_data(
    stub, metric_reader: InMemoryMetricReader
) -> None:
    await stub.Book(
        book_request(toronto(2027, 2, 2, 9), name="Metric Person", phone="+14165550166"),
        timeout=TIMEOUT,
    )
    with pytest.raises(grpc.aio.AioRpcError):
        await stub.Book(book_request(toronto(2027, 2, 7, 9)), timeout=TIMEOUT)  # a Sunday
    data = metric_reader.get_metrics_data()
    points: dict[str, list[dict[str, object]]] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                points.setdefault(metric.name, []).extend(
                    dict(p.attributes or {}) for p in metric.data.data_points
                )
    for name in (
        "QueryLatency",
        "TransactionCount",
        "BookingCount",
        "BusinessRuleViolations",
        "ConnectionPoolUsage",
        "SystemHealth",
    ):
        assert name in points, name
    assert {
        "operation": "book",
        "outcome": "booked",
        "clinic": "test-toronto",
    } in points["BookingCount"]
    assert {"operation": "closed_day", "clinic": "test-toronto"} in points["BusinessRuleViolations"]
    for name, attrs in points.items():
        if name.startswith(("rpc.", "db.")):
            continue  # OpenTelemetry's own instrumentation
        for a in attrs:
            assert set(a) <= ALLOWED_DIMENSIONS, (name, a)
            assert not any("5550166" in str(v) or "Metric" in str(v) for v in a.values())


async def test_spans_name_operations_but_never_the_caller(stub, span_exporter) -> None:
    span_exporter.clear()
    await stub.Book(
        book_request(toronto(2027, 2, 2, 10), name="Span Person", phone="+14165550167"),
        timeout=TIMEOUT,
    )
    spans = span_exporter.get_finished_spans()
    names = {s.name for s in spans}
    assert "booking.db book" in names
    assert "/bella.v1.BookingService/Book" in names
    db_span = next(s for s in spans if s.name == "booking.db book")
    assert db_span.attributes["outcome"] == "ok"
    for span in spans:
        text = str(dict(span.attributes or {})) + span.name
        assert "5550167" not in text and "Span Person" not in text, span.name


def test_calendar_settings_come_in_pairs(tmp_path: Path) -> None:
    from bella_booking.settings import BookingSettings
    from pydantic import ValidationError

    url = "postgresql://bella@127.0.0.1/bella"
    assert not BookingSettings(database_url=url).calendar_enabled
    with pytest.raises(ValidationError, match="CREDENTIALS_FILE is not"):
        BookingSettings(database_url=url, google_calendar_ids={"toronto": "cal"})
    credentials = tmp_path / "sa.json"
    credentials.write_text("{}")
    with pytest.raises(ValidationError, match="required with a credentials file"):
        BookingSettings(database_url=url, google_calendar_credentials_file=credentials)
    both = BookingSettings(
        database_url=url,
        google_calendar_credentials_file=credentials,
        google_calendar_ids={"toronto": "cal"},
    )
    assert both.calendar_enabled
    assert both.database_url.startswith("postgresql+asyncpg://")
