"""Shared conversions from gRPC messages to API shapes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import phonenumbers
from bella.v1 import booking_pb2, calls_pb2
from fastapi import HTTPException

from bella_admin.api import schemas
from bella_admin.labels import appointment_status, call_outcome
from bella_admin.timefmt import EARLIEST, LATEST, iso_local, range_bounds


def e164(phone: str) -> str:
    """A Canadian phone number in E.164, or 422."""
    try:
        parsed = phonenumbers.parse(phone, "CA")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise HTTPException(422, "phone: not a phone number (use E.164, e.g. +16475550123).")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_date(value: date | None, name: str) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise HTTPException(422, f"{name}: must be between {EARLIEST} and {LATEST}.")


def bounds(first: date | None, last: date | None, zone: str) -> tuple[Any, Any]:
    check_date(first, "date_from")
    check_date(last, "date_to")
    if first and last and first > last:
        raise HTTPException(422, "date_to: must not be before date_from.")
    if not first and not last:
        return None, None
    start, end = range_bounds(first or last, last or first, zone)  # type: ignore[arg-type]
    return (start if first else None), (end if last else None)


def appointment(a: booking_pb2.Appointment, zone: str) -> schemas.Appointment:
    return schemas.Appointment(
        id=a.id, patient_name=a.patient_name, phone=a.patient_phone, service=a.service,
        start=iso_local(a.start, zone), end=iso_local(a.end, zone),
        status=appointment_status(a.status),  # type: ignore[arg-type]
        chair=a.chair_name or a.chair_id,
    )


def call(c: calls_pb2.Call, zone: str) -> dict[str, Any]:
    return {
        "id": c.id, "started_at": iso_local(c.started_at, zone),
        "ended_at": iso_local(c.ended_at, zone) or None,
        "duration_seconds": c.duration_seconds, "outcome": call_outcome(c.outcome),
        "turns": c.turn_count, "status": c.status, "caller_phone": c.from_phone,
        "appointment_id": c.appointment_id or None, "trace_id": c.trace_id or None,
        "in_progress": c.in_progress,
    }


def turn(t: calls_pb2.Turn, zone: str) -> schemas.Turn:
    understood: dict[str, Any] | None
    try:
        parsed = json.loads(t.understood_json) if t.understood_json else None
        understood = parsed if isinstance(parsed, dict) else None
    except ValueError:
        understood = None
    return schemas.Turn(
        index=t.index, at=iso_local(t.at, zone), expect=t.expect, caller_text=t.caller_text,
        asr_confidence=round(t.asr_confidence, 4), understood=understood,
        nlp_confidence=round(t.nlp_confidence, 4), bella_text=t.bella_text,
        latency_ms=t.latency_ms, state=t.state,
    )
