"""CSV exports of appointments and calls for a date range (audited, formula-safe)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from bella_admin.csvexport import csv_lines
from bella_admin.labels import appointment_status, booking_source, call_outcome
from bella_admin.timefmt import iso_local, parse_date, range_bounds, today
from bella_admin.web.common import UserCtx, check_csrf

router = APIRouter(dependencies=[Depends(check_csrf)])
MAX_EXPORT_DAYS = 366

APPOINTMENT_HEADER = (
    "id", "start", "end", "patient_name", "phone", "service", "chair", "status", "source",
    "call_id", "notes",
)
CALL_HEADER = (
    "id", "started_at", "ended_at", "duration_seconds", "caller_phone", "outcome", "turns",
    "status", "appointment_id", "trace_id",
)


@router.get("/export")
async def export_form(ctx: UserCtx) -> Response:
    zone = await ctx.zone()
    last = today(zone)
    return await ctx.render(
        "export.html", date_from=(last - timedelta(days=30)).isoformat(),
        date_to=last.isoformat(), nav="export", error="",
    )


async def _aiter_lines(lines: AsyncIterator[str]) -> AsyncIterator[bytes]:
    yield "\ufeff".encode()  # BOM: spreadsheets then read the file as UTF-8
    async for line in lines:
        yield line.encode()


@router.post("/export/{kind}.csv")
async def export_csv(
    ctx: UserCtx,
    kind: str,
    date_from: Annotated[str, Form(max_length=10)],
    date_to: Annotated[str, Form(max_length=10)],
) -> Response:
    zone = await ctx.zone()
    first, last = parse_date(date_from), parse_date(date_to)
    if kind not in ("appointments", "calls"):
        return RedirectResponse("/export", status_code=303)
    if first is None or last is None or first > last or (last - first).days >= MAX_EXPORT_DAYS:
        await ctx.flash("Choose a start and end date, at most a year apart.")
        return RedirectResponse("/export", status_code=303)
    start, end = range_bounds(first, last, zone)
    await ctx.deps.audit.record(
        ctx.actor, f"export.{kind}", target_type="export",
        date_from=first.isoformat(), date_to=last.isoformat(),
    )
    booking, calls = ctx.deps.backends.booking, ctx.deps.backends.calls
    clinic_id = ctx.clinic_id

    async def appointment_rows() -> AsyncIterator[str]:
        rows = []
        async for a in booking.iter_appointments(clinic_id, start=start, end=end):
            rows.append((
                a.id, iso_local(a.start, zone), iso_local(a.end, zone), a.patient_name,
                a.patient_phone, a.service, a.chair_name, appointment_status(a.status),
                booking_source(a.source), a.call_id, a.notes,
            ))
            if len(rows) >= 200:
                for line in _body(rows):
                    yield line
                rows = []
        for line in _body(rows):
            yield line

    async def call_rows() -> AsyncIterator[str]:
        rows = []
        async for c in calls.iter_calls(clinic_id, start=start, end=end):
            rows.append((
                c.id, iso_local(c.started_at, zone), iso_local(c.ended_at, zone),
                c.duration_seconds, c.from_phone, call_outcome(c.outcome), c.turn_count,
                c.status, c.appointment_id, c.trace_id,
            ))
            if len(rows) >= 200:
                for line in _body(rows):
                    yield line
                rows = []
        for line in _body(rows):
            yield line

    header = APPOINTMENT_HEADER if kind == "appointments" else CALL_HEADER

    async def document() -> AsyncIterator[str]:
        yield next(iter(csv_lines(header, [])))
        async for line in appointment_rows() if kind == "appointments" else call_rows():
            yield line

    filename = f"{clinic_id}-{kind}-{first.isoformat()}-to-{last.isoformat()}.csv"
    return StreamingResponse(
        _aiter_lines(document()), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _body(rows: Sequence[Sequence[object]]) -> list[str]:
    lines = list(csv_lines((), rows))
    return lines[1:]  # csv_lines starts with the (here empty) header line
