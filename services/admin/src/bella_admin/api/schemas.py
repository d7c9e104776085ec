"""JSON shapes of /api/v1."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

AppointmentStatusName = Literal["booked", "cancelled", "completed", "no_show"]
OutcomeName = Literal[
    "in_progress", "booked", "cancelled", "rescheduled", "info", "transferred", "callback",
    "abandoned", "failed",
]


class ErrorBody(BaseModel):
    code: str
    message: str


class Error(BaseModel):
    error: ErrorBody


class Appointment(BaseModel):
    id: str
    patient_name: str
    phone: str = Field(description="E.164")
    service: str
    start: str = Field(description="ISO 8601 with the clinic's UTC offset")
    end: str = Field(description="ISO 8601 with the clinic's UTC offset")
    status: AppointmentStatusName | Literal["unknown"]
    chair: str = Field(description="The chair or provider the appointment occupies")


class AppointmentPage(BaseModel):
    items: list[Appointment]
    next_page_token: str = ""
    total: int


class Call(BaseModel):
    id: str
    started_at: str
    ended_at: str | None
    duration_seconds: int
    outcome: OutcomeName | Literal["unknown"]
    turns: int
    status: str
    caller_phone: str = Field(description="E.164 caller id")
    appointment_id: str | None
    trace_id: str | None = Field(description="X-Ray trace id")
    in_progress: bool


class Turn(BaseModel):
    index: int
    at: str
    expect: str
    caller_text: str
    asr_confidence: float
    understood: dict[str, Any] | None
    nlp_confidence: float
    bella_text: str
    latency_ms: int
    state: str


class CallDetail(Call):
    transcript: list[Turn]


class CallPage(BaseModel):
    items: list[Call]
    next_page_token: str = ""
    total: int


class DayKpis(BaseModel):
    date: str
    calls: int
    bookings: int
    transfers: int
    avg_turn_latency_ms: float | None = Field(
        default=None, description="Mean over the day's turns; null when the day had no turns")
    avg_understanding_confidence: float | None = Field(
        default=None, description="Mean over the day's turns that understood something; "
        "null when none did")


class Kpis(BaseModel):
    date_from: str
    date_to: str
    calls: int
    bookings: int
    transfers: int
    callbacks: int
    conversion_rate: float
    avg_understanding_confidence: float
    avg_asr_confidence: float
    avg_turn_latency_ms: float
    days: list[DayKpis]


class AuditItem(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    target_type: str | None
    target_id: str | None
    client_ip: str | None
    outcome: str


class AuditPage(BaseModel):
    items: list[AuditItem]
