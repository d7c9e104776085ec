"""The admin service's gRPC clients for booking and call records.

Every call carries the session's (or token's) clinic id and a deadline.
Reads are retried by the channel on UNAVAILABLE; Cancel, Reschedule and
ResolveCallback are not. gRPC errors become the small exception family
below, which the web and API layers turn into pages and JSON.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import grpc
from bella.v1 import (
    booking_pb2,
    booking_pb2_grpc,
    calls_pb2,
    calls_pb2_grpc,
    common_pb2,
)
from bella_core.grpc_client import check_health, open_channel
from bella_core.telemetry import Telemetry, trace_channel
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_status import rpc_status

BOOKING_SERVICE = "bella.v1.BookingService"
CALLS_SERVICE = "bella.v1.CallRecordService"
BOOKING_READS = (
    "GetClinic", "ListClinics", "FindSlots", "GetAppointment", "ListAppointments",
    "FindPatientAppointments", "GetPatient", "ListPatients", "ExportIcs",
)
CALL_READS = ("ListCalls", "GetCall", "ListCallbacks", "GetCallStats")
CLINIC_CACHE_SECONDS = 300.0


class BackendError(Exception):
    """A booking/voice call failed; ``message`` is safe to show to staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(BackendError):
    pass


class InvalidArgument(BackendError):
    pass


class RuleViolation(BackendError):
    """FAILED_PRECONDITION: a clinic rule (hours, notice, horizon…) refused it."""


class SlotTaken(BackendError):
    def __init__(self, message: str, alternatives: Sequence[booking_pb2.Slot]) -> None:
        super().__init__(message)
        self.alternatives = list(alternatives)


class Unavailable(BackendError):
    pass


def _translate(exc: grpc.aio.AioRpcError, what: str) -> BackendError:
    code = exc.code()
    detail = exc.details() or ""
    if code == grpc.StatusCode.NOT_FOUND:
        return NotFound(f"{what} not found.")
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument(detail or "Invalid request.")
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        return RuleViolation(detail or "Not allowed by the clinic's rules.")
    if code == grpc.StatusCode.ALREADY_EXISTS:
        alternatives: list[booking_pb2.Slot] = []
        message = detail or "That time was just taken."
        status = rpc_status.from_call(exc)  # type: ignore[arg-type]
        if status is not None:
            for item in status.details:
                conflict = booking_pb2.SlotConflict()
                if item.Unpack(conflict):
                    alternatives.extend(conflict.alternatives)
                    message = conflict.message or message
        return SlotTaken(message, alternatives)
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        return Unavailable(f"The {what.lower()} service is not answering; try again shortly.")
    return BackendError(f"The request failed ({code.name}).")


class _Translated:
    """Turns a failed gRPC call inside the block into the BackendError a page or API route
    shows. ``__exit__`` returns None, so type checkers know no exception is swallowed."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, grpc.aio.AioRpcError):
            raise _translate(exc, self.what) from None


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


def time_range(start: datetime | None, end: datetime | None) -> common_pb2.TimeRange | None:
    if start is None and end is None:
        return None
    rng = common_pb2.TimeRange()
    if start is not None:
        rng.start.CopyFrom(ts(start))
    if end is not None:
        rng.end.CopyFrom(ts(end))
    return rng


@dataclass
class _CachedClinic:
    clinic: booking_pb2.Clinic
    at: float


class BookingClient:
    def __init__(self, channel: grpc.aio.Channel, timeout: float) -> None:
        self.channel = channel
        self.stub = booking_pb2_grpc.BookingServiceStub(channel)
        self.timeout = timeout
        self._clinics: dict[str, _CachedClinic] = {}

    async def get_clinic(self, clinic_id: str) -> booking_pb2.Clinic:
        cached = self._clinics.get(clinic_id)
        if cached and time.monotonic() - cached.at < CLINIC_CACHE_SECONDS:
            return cached.clinic
        with _Translated("Clinic"):
            clinic = await self.stub.GetClinic(
                booking_pb2.GetClinicRequest(clinic_id=clinic_id), timeout=self.timeout
            )
        self._clinics[clinic_id] = _CachedClinic(clinic, time.monotonic())
        return clinic

    async def list_clinics(self) -> list[booking_pb2.Clinic]:
        with _Translated("Clinic"):
            resp = await self.stub.ListClinics(
                booking_pb2.ListClinicsRequest(), timeout=self.timeout
            )
        return list(resp.clinics)

    async def list_appointments(
        self, clinic_id: str, *, start: datetime | None = None, end: datetime | None = None,
        statuses: Sequence[int] = (), services: Sequence[str] = (), query: str = "",
        phone: str = "", patient_id: str = "", page_size: int = 50, page_token: str = "",
    ) -> booking_pb2.ListAppointmentsResponse:
        req = booking_pb2.ListAppointmentsRequest(
            clinic_id=clinic_id, statuses=list(statuses),  # type: ignore[arg-type]
            services=list(services), query=query, phone=phone, patient_id=patient_id,
            page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
        )
        rng = time_range(start, end)
        if rng is not None:
            req.range.CopyFrom(rng)
        with _Translated("Appointment"):
            return await self.stub.ListAppointments(req, timeout=self.timeout)

    async def iter_appointments(
        self, clinic_id: str, **filters: object
    ) -> AsyncIterator[booking_pb2.Appointment]:
        token = ""
        while True:
            resp = await self.list_appointments(
                clinic_id, page_size=500, page_token=token, **filters  # type: ignore[arg-type]
            )
            for appt in resp.appointments:
                yield appt
            token = resp.next_page_token
            if not token:
                return

    async def get_appointment(self, clinic_id: str, appointment_id: str) -> booking_pb2.Appointment:
        with _Translated("Appointment"):
            return await self.stub.GetAppointment(
                booking_pb2.GetAppointmentRequest(
                    clinic_id=clinic_id, appointment_id=appointment_id
                ),
                timeout=self.timeout,
            )

    async def cancel(
        self, clinic_id: str, appointment_id: str, reason: str
    ) -> booking_pb2.Appointment:
        with _Translated("Appointment"):
            return await self.stub.Cancel(
                booking_pb2.CancelRequest(
                    clinic_id=clinic_id, appointment_id=appointment_id, reason=reason
                ),
                timeout=self.timeout,
            )

    async def reschedule(
        self, clinic_id: str, appointment_id: str, new_start: datetime, chair_id: str,
        idempotency_key: str,
    ) -> booking_pb2.Appointment:
        with _Translated("Appointment"):
            return await self.stub.Reschedule(
                booking_pb2.RescheduleRequest(
                    clinic_id=clinic_id, appointment_id=appointment_id,
                    new_start=ts(new_start), chair_id=chair_id,
                    idempotency_key=idempotency_key,
                ),
                timeout=self.timeout,
            )

    async def find_slots(
        self, clinic_id: str, service: str, preferred_date: str, preferred_time: str = "",
        limit: int = 8,
    ) -> booking_pb2.FindSlotsResponse:
        with _Translated("Slot"):
            return await self.stub.FindSlots(
                booking_pb2.FindSlotsRequest(
                    clinic_id=clinic_id, service=service, preferred_date=preferred_date,
                    preferred_time=preferred_time, limit=limit,
                ),
                timeout=self.timeout,
            )

    async def list_patients(
        self, clinic_id: str, query: str = "", page_size: int = 50, page_token: str = ""
    ) -> booking_pb2.ListPatientsResponse:
        with _Translated("Patient"):
            return await self.stub.ListPatients(
                booking_pb2.ListPatientsRequest(
                    clinic_id=clinic_id, query=query,
                    page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
                ),
                timeout=self.timeout,
            )

    async def get_patient(self, clinic_id: str, patient_id: str) -> booking_pb2.Patient:
        with _Translated("Patient"):
            return await self.stub.GetPatient(
                booking_pb2.GetPatientRequest(clinic_id=clinic_id, patient_id=patient_id),
                timeout=self.timeout,
            )


class CallsClient:
    def __init__(self, channel: grpc.aio.Channel, timeout: float) -> None:
        self.channel = channel
        self.stub = calls_pb2_grpc.CallRecordServiceStub(channel)
        self.timeout = timeout

    async def list_calls(
        self, clinic_id: str, *, start: datetime | None = None, end: datetime | None = None,
        outcomes: Sequence[int] = (), in_progress_only: bool = False, page_size: int = 50,
        page_token: str = "",
    ) -> calls_pb2.ListCallsResponse:
        req = calls_pb2.ListCallsRequest(
            clinic_id=clinic_id, outcomes=list(outcomes),  # type: ignore[arg-type]
            in_progress_only=in_progress_only,
            page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
        )
        rng = time_range(start, end)
        if rng is not None:
            req.range.CopyFrom(rng)
        with _Translated("Call"):
            return await self.stub.ListCalls(req, timeout=self.timeout)

    async def iter_calls(self, clinic_id: str, **filters: object) -> AsyncIterator[calls_pb2.Call]:
        token = ""
        while True:
            resp = await self.list_calls(
                clinic_id, page_size=500, page_token=token, **filters  # type: ignore[arg-type]
            )
            for call in resp.calls:
                yield call
            token = resp.next_page_token
            if not token:
                return

    async def get_call(self, clinic_id: str, call_id: str) -> calls_pb2.Call:
        with _Translated("Call"):
            return await self.stub.GetCall(
                calls_pb2.GetCallRequest(clinic_id=clinic_id, call_id=call_id),
                timeout=self.timeout,
            )

    async def list_callbacks(
        self, clinic_id: str, include_resolved: bool = False, page_size: int = 50
    ) -> calls_pb2.ListCallbacksResponse:
        with _Translated("Call-back"):
            return await self.stub.ListCallbacks(
                calls_pb2.ListCallbacksRequest(
                    clinic_id=clinic_id, include_resolved=include_resolved,
                    page=common_pb2.PageRequest(page_size=page_size),
                ),
                timeout=self.timeout,
            )

    async def resolve_callback(
        self, clinic_id: str, callback_id: str, resolved_by: str
    ) -> calls_pb2.Callback:
        with _Translated("Call-back"):
            return await self.stub.ResolveCallback(
                calls_pb2.ResolveCallbackRequest(
                    clinic_id=clinic_id, callback_id=callback_id, resolved_by=resolved_by
                ),
                timeout=self.timeout,
            )

    async def stats(
        self, clinic_id: str, start: datetime, end: datetime
    ) -> calls_pb2.CallStats:
        req = calls_pb2.GetCallStatsRequest(clinic_id=clinic_id)
        rng = time_range(start, end)
        assert rng is not None
        req.range.CopyFrom(rng)
        with _Translated("Call"):
            return await self.stub.GetCallStats(req, timeout=self.timeout)


@dataclass
class Backends:
    booking: BookingClient
    calls: CallsClient

    @classmethod
    def connect(
        cls, booking_address: str, voice_address: str, timeout: float,
        telemetry: Telemetry | None = None,
    ) -> Backends:
        booking = open_channel(
            booking_address, idempotent=[(BOOKING_SERVICE, m) for m in BOOKING_READS]
        )
        voice = open_channel(voice_address, idempotent=[(CALLS_SERVICE, m) for m in CALL_READS])
        if telemetry is not None:
            booking, voice = trace_channel(booking, telemetry), trace_channel(voice, telemetry)
        return cls(BookingClient(booking, timeout), CallsClient(voice, timeout))

    async def health(self) -> dict[str, bool]:
        return {
            "booking": await check_health(self.booking.channel, BOOKING_SERVICE),
            "voice": await check_health(self.voice_channel, CALLS_SERVICE),
        }

    @property
    def voice_channel(self) -> grpc.aio.Channel:
        return self.calls.channel

    async def close(self) -> None:
        await self.booking.channel.close()
        await self.calls.channel.close()
