"""The staff pages: Today, Appointments, Patients, Calls, KPIs."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from bella.v1 import booking_pb2, calls_pb2
from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from bella_admin.chart import kpi_chart
from bella_admin.clients import BackendError, RuleViolation, SlotTaken
from bella_admin.labels import (
    OUTCOME_BY_NAME,
    STATUS_BY_NAME,
    appointment_status,
    booking_source,
    call_outcome,
    xray_console_url,
)
from bella_admin.timefmt import (
    clean_query,
    day_bounds,
    local,
    parse_date,
    range_bounds,
    today,
)
from bella_admin.web.common import UserCtx, check_csrf

router = APIRouter(dependencies=[Depends(check_csrf)])
PAGE_SIZE = 25
MAX_KPI_DAYS = 366


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/today", status_code=303)


@router.get("/today")
async def today_page(ctx: UserCtx) -> Response:
    zone = await ctx.zone()
    clinic = await ctx.clinic()
    day = today(zone)
    start, end = day_bounds(day, zone)
    booking, calls = ctx.deps.backends.booking, ctx.deps.backends.calls
    appts, live, callbacks = await asyncio.gather(
        booking.list_appointments(
            ctx.clinic_id, start=start, end=end,
            statuses=[booking_pb2.APPOINTMENT_STATUS_BOOKED,
                      booking_pb2.APPOINTMENT_STATUS_COMPLETED,
                      booking_pb2.APPOINTMENT_STATUS_NO_SHOW],
            page_size=500,
        ),
        calls.list_calls(ctx.clinic_id, in_progress_only=True, page_size=50),
        calls.list_callbacks(ctx.clinic_id, include_resolved=False, page_size=100),
    )
    by_chair: dict[str, list[booking_pb2.Appointment]] = defaultdict(list)
    for appt in sorted(appts.appointments, key=lambda a: a.start.seconds):
        by_chair[appt.chair_name or appt.chair_id or "Unassigned"].append(appt)
    chairs = [c.name for c in clinic.chairs if c.name in by_chair] + sorted(
        name for name in by_chair if name not in {c.name for c in clinic.chairs}
    )
    return await ctx.render(
        "today.html", day=day, chairs=chairs, by_chair=by_chair,
        total=len(appts.appointments), live=list(live.calls),
        callbacks=list(callbacks.callbacks), status=appointment_status, nav="today",
    )


@router.post("/callbacks/{callback_id}/done")
async def callback_done(ctx: UserCtx, callback_id: str) -> Response:
    await ctx.deps.backends.calls.resolve_callback(ctx.clinic_id, callback_id, ctx.session.email)
    await ctx.deps.audit.record(
        ctx.actor, "callback.resolve", target_type="callback", target_id=callback_id
    )
    await ctx.flash("Call-back marked done.")
    return RedirectResponse("/today", status_code=303)


def _status_filter(value: str) -> list[int]:
    return [STATUS_BY_NAME[value]] if value in STATUS_BY_NAME else []


@router.get("/appointments")
async def appointments(
    ctx: UserCtx, date_from: str = "", date_to: str = "", status: str = "", service: str = "",
    q: str = "", page: str = "",
) -> Response:
    zone = await ctx.zone()
    clinic = await ctx.clinic()
    first, last = parse_date(date_from), parse_date(date_to)
    start = day_bounds(first, zone)[0] if first else None
    end = day_bounds(last, zone)[1] if last else None
    resp = await ctx.deps.backends.booking.list_appointments(
        ctx.clinic_id, start=start, end=end, statuses=_status_filter(status),
        services=[service] if service else [], query=clean_query(q), page_size=PAGE_SIZE,
        page_token=page[:500],
    )
    filters = {"date_from": date_from, "date_to": date_to, "status": status,
               "service": service, "q": q}
    return await ctx.render(
        "appointments.html", items=list(resp.appointments), total=resp.total,
        next_page=resp.next_page_token, filters=filters, services=list(clinic.services),
        statuses=list(STATUS_BY_NAME), status=appointment_status, nav="appointments",
        paged=bool(page),
    )


@router.get("/appointments/{appointment_id}")
async def appointment_detail(
    ctx: UserCtx, appointment_id: str, date: str = "", time: str = ""
) -> Response:
    zone = await ctx.zone()
    appt = await ctx.deps.backends.booking.get_appointment(ctx.clinic_id, appointment_id)
    await ctx.deps.audit.record(
        ctx.actor, "appointment.view", target_type="appointment", target_id=appt.id
    )
    slots: list[booking_pb2.Slot] = []
    reason = ""
    wanted = parse_date(date)
    at = time if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time) else ""
    if wanted and appt.status == booking_pb2.APPOINTMENT_STATUS_BOOKED:
        try:
            found = await ctx.deps.backends.booking.find_slots(
                ctx.clinic_id, appt.service, wanted.isoformat(), at, limit=12
            )
            slots, reason = list(found.slots), found.reason
        except BackendError as exc:
            reason = exc.message
    return await ctx.render(
        "appointment.html", a=appt, status=appointment_status(appt.status),
        source=booking_source(appt.source), slots=slots, reason=reason,
        wanted=wanted.isoformat() if wanted else today(zone).isoformat(), wanted_time=at,
        idempotency_key=uuid.uuid4().hex, nav="appointments",
    )


@router.post("/appointments/{appointment_id}/cancel")
async def appointment_cancel(
    ctx: UserCtx, appointment_id: str, reason: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    try:
        await ctx.deps.backends.booking.cancel(
            ctx.clinic_id, appointment_id, reason or "cancelled by front desk"
        )
    except RuleViolation as exc:
        await ctx.flash(exc.message)
        return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)
    await ctx.deps.audit.record(
        ctx.actor, "appointment.cancel", target_type="appointment", target_id=appointment_id
    )
    await ctx.flash("Appointment cancelled.")
    return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)


@router.post("/appointments/{appointment_id}/reschedule")
async def appointment_reschedule(
    ctx: UserCtx,
    appointment_id: str,
    slot: Annotated[str, Form(max_length=200)],
    idempotency_key: Annotated[str, Form(max_length=64)],
) -> Response:
    zone = await ctx.zone()
    try:
        start_text, chair_id = slot.split("|", 1)
        new_start = datetime.fromisoformat(start_text)
        if new_start.tzinfo is None:
            raise ValueError
    except ValueError:
        await ctx.flash("Choose one of the offered times.")
        return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)
    target = f"/appointments/{appointment_id}"
    try:
        appt = await ctx.deps.backends.booking.reschedule(
            ctx.clinic_id, appointment_id, new_start, chair_id, idempotency_key
        )
    except SlotTaken as exc:
        await ctx.flash(exc.message + " Pick another time.")
        return RedirectResponse(
            f"{target}?date={local(new_start, zone).date().isoformat()}",  # type: ignore[union-attr]
            status_code=303,
        )
    except RuleViolation as exc:
        await ctx.flash(exc.message)
        return RedirectResponse(target, status_code=303)
    await ctx.deps.audit.record(
        ctx.actor, "appointment.reschedule", target_type="appointment", target_id=appt.id
    )
    when = local(appt.start, zone)
    await ctx.flash(f"Rescheduled to {when:%A %B %-d at %H:%M}." if when else "Rescheduled.")
    return RedirectResponse(f"/appointments/{appt.id}", status_code=303)


@router.get("/patients")
async def patients(ctx: UserCtx, q: str = "", page: str = "") -> Response:
    resp = await ctx.deps.backends.booking.list_patients(
        ctx.clinic_id, clean_query(q), page_size=PAGE_SIZE, page_token=page[:500]
    )
    return await ctx.render(
        "patients.html", items=list(resp.patients), total=resp.total,
        next_page=resp.next_page_token, q=q, nav="patients", paged=bool(page),
    )


@router.get("/patients/{patient_id}")
async def patient_detail(ctx: UserCtx, patient_id: str) -> Response:
    patient = await ctx.deps.backends.booking.get_patient(ctx.clinic_id, patient_id)
    await ctx.deps.audit.record(ctx.actor, "patient.view", target_type="patient",
                                target_id=patient.id)
    return await ctx.render(
        "patient.html", p=patient, history=list(patient.appointments),
        status=appointment_status, nav="patients",
    )


@router.get("/calls")
async def calls(
    ctx: UserCtx, date_from: str = "", date_to: str = "", outcome: str = "", page: str = ""
) -> Response:
    zone = await ctx.zone()
    first, last = parse_date(date_from), parse_date(date_to)
    outcomes = [OUTCOME_BY_NAME[outcome]] if outcome in OUTCOME_BY_NAME else []
    resp = await ctx.deps.backends.calls.list_calls(
        ctx.clinic_id,
        start=day_bounds(first, zone)[0] if first else None,
        end=day_bounds(last, zone)[1] if last else None,
        outcomes=outcomes, in_progress_only=outcome == "in_progress",
        page_size=PAGE_SIZE, page_token=page[:500],
    )
    return await ctx.render(
        "calls.html", items=list(resp.calls), total=resp.total, next_page=resp.next_page_token,
        filters={"date_from": date_from, "date_to": date_to, "outcome": outcome},
        outcomes=["in_progress", *OUTCOME_BY_NAME], outcome_name=call_outcome, nav="calls",
        paged=bool(page),
    )


def _understood(raw: str) -> list[tuple[str, str]]:
    """The fields NLP understood on a turn, as (name, value) pairs for display."""
    if not raw:
        return []
    try:
        data: Any = json.loads(raw)
    except ValueError:
        return [("raw", raw[:500])]
    if not isinstance(data, dict):
        return [("value", json.dumps(data)[:500])]
    pairs = []
    for key, value in data.items():
        if value in (None, "", [], {}):
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        pairs.append((str(key), str(shown)[:300]))
    return pairs


@router.get("/calls/{call_id}")
async def call_detail(ctx: UserCtx, call_id: str) -> Response:
    call = await ctx.deps.backends.calls.get_call(ctx.clinic_id, call_id)
    await ctx.deps.audit.record(ctx.actor, "call.transcript.view", target_type="call",
                                target_id=call.id)
    turns = [(t, _understood(t.understood_json)) for t in call.turns]
    return await ctx.render(
        "call.html", c=call, outcome=call_outcome(call.outcome), turns=turns,
        trace_url=xray_console_url(ctx.deps.settings.admin_xray_region, call.trace_id),
        nav="calls",
    )


def _kpi_range(date_from: str, date_to: str, zone: str) -> tuple[date, date, str]:
    last = parse_date(date_to) or today(zone)
    first = parse_date(date_from) or last - timedelta(days=6)
    error = ""
    if first > last:
        first, last, error = last, first, "The range was reversed; showing it the right way."
    if (last - first).days >= MAX_KPI_DAYS:
        first, error = last - timedelta(days=MAX_KPI_DAYS - 1), "Ranges are capped at a year."
    return first, last, error


def _daily_latency(days: list[calls_pb2.DayStats]) -> dict[str, float]:
    # A day without turns has no latency, not a latency of zero.
    return {d.date: d.avg_turn_latency_ms for d in days if d.turns}


@router.get("/kpis")
async def kpis(ctx: UserCtx, date_from: str = "", date_to: str = "") -> Response:
    zone = await ctx.zone()
    first, last, error = _kpi_range(date_from, date_to, zone)
    start, end = range_bounds(first, last, zone)
    # One stats call: the per-day latency comes back with the per-day counts.
    stats = await ctx.deps.backends.calls.stats(ctx.clinic_id, start, end)
    days = _fill_days(stats, first, last)
    latency = _daily_latency(days)
    return await ctx.render(
        "kpis.html", stats=stats, first=first, last=last, error=error,
        chart=kpi_chart(days, latency), days=days, latency=latency, nav="kpis",
    )


def _fill_days(stats: calls_pb2.CallStats, first: date, last: date) -> list[calls_pb2.DayStats]:
    known = {d.date: d for d in stats.days}
    out = []
    for i in range((last - first).days + 1):
        key = (first + timedelta(days=i)).isoformat()
        out.append(known.get(key) or calls_pb2.DayStats(date=key))
    return out
