"""Google Calendar sync through a transactional outbox.

Every booking change writes a ``calendar_outbox`` row in the same transaction
(see :meth:`BookingStore._enqueue_calendar`). This worker claims due rows,
reads the appointment's current state and makes the clinic's calendar match
it: insert (or update, when the event exists) a booked appointment, delete a
cancelled one. The event id is derived from the appointment id, so a push
repeated after a crash is harmless.

A failed push leaves its row pending with exponential backoff (capped at five
minutes), so nothing is lost however long the calendar is down. A circuit
breaker stops hammering a calendar that keeps failing; tenacity retries a
single call a few times for short blips.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import UTC
from pathlib import Path
from typing import Any

import httpx
import structlog
from bella_core.circuit import BreakerState, CircuitBreaker, CircuitOpenError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bella_booking.ics import short_name
from bella_booking.metrics import BookingMetrics
from bella_booking.settings import BookingSettings

log = structlog.get_logger(__name__)

SCOPES = ["https://www.googleapis.com/auth/calendar.events"]
MAX_BACKOFF_SECONDS = 300
CLAIM_SECONDS = 60


class CalendarError(Exception):
    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, CalendarError) and exc.retryable


def event_id(appointment_id: str) -> str:
    # Calendar event ids use base32hex (0-9, a-v); a UUID's hex digits are a subset.
    return "bella" + appointment_id.replace("-", "")


class ServiceAccountTokens:
    """OAuth access tokens for a Google service account (google-auth does the JWT grant)."""

    def __init__(self, credentials_file: Path, token_uri: str | None = None) -> None:
        from google.oauth2 import service_account

        info = json.loads(Path(credentials_file).read_text("utf-8"))
        if token_uri:
            info["token_uri"] = token_uri
        self._credentials = service_account.Credentials.from_service_account_info(
            info, scopes=SCOPES
        )
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if not self._credentials.valid:
                import google.auth.transport.requests

                try:
                    await asyncio.to_thread(
                        self._credentials.refresh, google.auth.transport.requests.Request()
                    )
                except Exception as exc:  # google.auth.exceptions.* and transport errors
                    raise CalendarError(
                        f"token refresh failed: {type(exc).__name__}", retryable=True
                    ) from exc
            return str(self._credentials.token)


class GoogleCalendarClient:
    def __init__(self, api_url: str, tokens: ServiceAccountTokens, http: httpx.AsyncClient) -> None:
        self.api_url = api_url.rstrip("/")
        self.tokens = tokens
        self.http = http

    async def _request(self, method: str, path: str, body: Mapping[Any, Any] | None = None) -> int:
        headers = {"Authorization": f"Bearer {await self.tokens.token()}"}
        try:
            response = await self.http.request(
                method, f"{self.api_url}{path}", json=body, headers=headers
            )
        except httpx.HTTPError as exc:
            raise CalendarError(f"{method} failed: {type(exc).__name__}", retryable=True) from exc
        return response.status_code

    async def upsert(self, calendar_id: str, eid: str, body: Mapping[Any, Any]) -> None:
        cal = _quote(calendar_id)
        status = await self._request("POST", f"/calendars/{cal}/events", {**body, "id": eid})
        if status == 409:  # the event exists: update it in place
            status = await self._request("PUT", f"/calendars/{cal}/events/{eid}", body)
        _raise_for(status, "upsert")

    async def delete(self, calendar_id: str, eid: str) -> None:
        status = await self._request("DELETE", f"/calendars/{_quote(calendar_id)}/events/{eid}")
        if status in (404, 410):  # never pushed, or already gone: the calendar matches
            return
        _raise_for(status, "delete")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _raise_for(status: int, operation: str) -> None:
    if 200 <= status < 300:
        return
    retryable = status in (408, 429) or status >= 500 or status == 401
    raise CalendarError(f"calendar {operation} answered HTTP {status}", retryable=retryable)


def event_body(row: Mapping[Any, Any], time_zone: str, service_name: str) -> dict[str, Any]:
    return {
        "summary": f"{service_name}: {short_name(row['patient_name'])}",
        "location": row["chair_name"],
        "description": f"Booked by Bella ({row['source']}). Appointment {row['id']}.",
        "start": {"dateTime": row["start_at"].astimezone(UTC).isoformat(), "timeZone": time_zone},
        "end": {"dateTime": row["end_at"].astimezone(UTC).isoformat(), "timeZone": time_zone},
        "extendedProperties": {"private": {"bellaAppointmentId": str(row["id"])}},
    }


_CLAIM = text(
    """
    UPDATE booking.calendar_outbox SET locked_until = now() + make_interval(secs => :claim)
    WHERE id IN (
        SELECT id FROM booking.calendar_outbox
        WHERE done_at IS NULL AND next_attempt_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED)
    RETURNING id, clinic_id, appointment_id, attempts
    """
)
_APPOINTMENT = text(
    """
    SELECT a.id, a.status, a.service, a.source, a.start_at, a.end_at,
           p.name AS patient_name, ch.name AS chair_name,
           c.time_zone, c.config -> 'services' -> a.service ->> 'name' AS service_name
    FROM booking.appointments a
    JOIN booking.patients p ON p.id = a.patient_id
    JOIN booking.chairs ch ON ch.id = a.chair_id
    JOIN booking.clinics c ON c.id = a.clinic_id
    WHERE a.id = :id
    """
)
# Done: this row and any older pending rows of the same appointment (the push used the latest
# state, so they are covered).
_DONE = text(
    """
    UPDATE booking.calendar_outbox SET done_at = now(), locked_until = NULL, last_error = :error
    WHERE appointment_id = :appointment_id AND done_at IS NULL AND id <= :id
    """
)
_RETRY_LATER = text(
    """
    UPDATE booking.calendar_outbox
    SET attempts = attempts + 1, locked_until = NULL, last_error = :error,
        next_attempt_at = now() + make_interval(secs => :delay)
    WHERE id = :id
    """
)
_RELEASE = text("UPDATE booking.calendar_outbox SET locked_until = NULL WHERE id = ANY(:ids)")


class CalendarWorker:
    def __init__(
        self,
        engine: AsyncEngine,
        client: GoogleCalendarClient,
        calendars: Mapping[str, str],
        metrics: BookingMetrics,
        breaker: CircuitBreaker,
        *,
        poll_seconds: float = 2.0,
        batch: int = 20,
        call_attempts: int = 3,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.calendars = dict(calendars)
        self.metrics = metrics
        self.breaker = breaker
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.call_attempts = call_attempts
        self._http = http

    async def run(self) -> None:
        while True:
            try:
                pushed = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be restarting: keep the worker alive
                log.warning("calendar.drain_failed", error=type(exc).__name__)
                pushed = 0
            if pushed == 0:
                await asyncio.sleep(self.poll_seconds)

    async def drain_once(self) -> int:
        """Push one batch of due rows; returns how many were pushed successfully."""
        if self.breaker.state is BreakerState.OPEN:
            return 0  # shed: leave the rows unclaimed until the breaker lets a trial through
        async with self.engine.begin() as conn:
            rows = (
                (await conn.execute(_CLAIM, {"claim": CLAIM_SECONDS, "batch": self.batch}))
                .mappings()
                .all()
            )
        pushed = 0
        rows = sorted(rows, key=lambda r: r["id"])
        for index, row in enumerate(rows):
            try:
                await self.breaker.call(lambda row=row: self._push(row))  # type: ignore[misc]
            except CircuitOpenError:
                # Shed load: hand the rest back untouched, to be retried when the breaker allows.
                async with self.engine.begin() as conn:
                    await conn.execute(_RELEASE, {"ids": [r["id"] for r in rows[index:]]})
                log.info("calendar.circuit_open", pending=len(rows) - index)
                break
            except CalendarError as exc:
                delay = min(2 ** (row["attempts"] + 1), MAX_BACKOFF_SECONDS)
                if not exc.retryable:
                    await self._mark_done(row, f"rejected: {exc}")
                    log.warning("calendar.rejected", outbox_id=row["id"], error=str(exc))
                    continue
                async with self.engine.begin() as conn:
                    await conn.execute(
                        _RETRY_LATER, {"id": row["id"], "error": str(exc)[:500], "delay": delay}
                    )
                log.info("calendar.retry_later", outbox_id=row["id"], delay_seconds=delay)
            else:
                await self._mark_done(row, "")
                pushed += 1
        return pushed

    async def _mark_done(self, row: Mapping[Any, Any], error: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                _DONE,
                {"id": row["id"], "appointment_id": row["appointment_id"], "error": error},
            )

    async def _push(self, row: Mapping[Any, Any]) -> None:
        calendar_id = self.calendars.get(row["clinic_id"])
        if calendar_id is None:
            raise CalendarError("no calendar configured for this clinic", retryable=False)
        async with self.engine.connect() as conn:
            appointment = (
                (await conn.execute(_APPOINTMENT, {"id": row["appointment_id"]})).mappings().first()
            )
        eid = event_id(str(row["appointment_id"]))
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(self.call_attempts),
            wait=wait_exponential(multiplier=0.2, max=2),
            retry=retry_if_exception(_retryable),
            reraise=True,
        ):
            with attempt:
                if appointment is None or appointment["status"] == "cancelled":
                    with self.metrics.calendar_call("delete"):
                        await self.client.delete(calendar_id, eid)
                else:
                    body = event_body(
                        appointment,
                        appointment["time_zone"],
                        appointment["service_name"] or appointment["service"],
                    )
                    with self.metrics.calendar_call("upsert"):
                        await self.client.upsert(calendar_id, eid, body)

    async def pending(self) -> int:
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        text("SELECT count(*) FROM booking.calendar_outbox WHERE done_at IS NULL")
                    )
                ).scalar_one()
            )

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def build_calendar_worker(
    settings: BookingSettings,
    engine: AsyncEngine,
    metrics: BookingMetrics,
    *,
    meter: Any = None,
) -> CalendarWorker:
    assert settings.google_calendar_credentials_file is not None
    http = httpx.AsyncClient(timeout=settings.google_calendar_timeout_seconds)
    tokens = ServiceAccountTokens(
        settings.google_calendar_credentials_file, settings.google_calendar_token_uri
    )
    client = GoogleCalendarClient(settings.google_calendar_api_url, tokens, http)
    breaker = CircuitBreaker(
        "google_calendar", failure_threshold=5, reset_timeout=30.0, meter=meter
    )
    return CalendarWorker(
        engine,
        client,
        settings.google_calendar_ids,
        metrics,
        breaker,
        poll_seconds=settings.google_calendar_poll_seconds,
        http=http,
    )
