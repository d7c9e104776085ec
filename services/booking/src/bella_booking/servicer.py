"""gRPC BookingService: proto in, store call, proto out, domain errors to status codes.

INVALID_ARGUMENT: malformed input; FAILED_PRECONDITION: a clinic rule; NOT_FOUND: an
unknown id; ALREADY_EXISTS: the slot was taken (google.rpc.Status details carry a
bella.v1.SlotConflict with alternatives); UNAVAILABLE: PostgreSQL unreachable.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import grpc
import structlog
from bella.v1 import booking_pb2, booking_pb2_grpc
from google.protobuf import any_pb2
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import code_pb2, status_pb2
from grpc_status import rpc_status

from bella_booking.errors import (
    BookingError,
    InvalidArgument,
    NotFound,
    RuleViolation,
    SlotTaken,
    Unavailable,
)
from bella_booking.ics import render_ics
from bella_booking.rules import Clinic
from bella_booking.slots import Preference, SlotCandidate
from bella_booking.store import (
    AppointmentFilter,
    AppointmentView,
    BookCommand,
    BookingStore,
    PatientView,
)

log = structlog.get_logger(__name__)

STATUS_TO_PROTO = {
    "booked": booking_pb2.APPOINTMENT_STATUS_BOOKED,
    "cancelled": booking_pb2.APPOINTMENT_STATUS_CANCELLED,
    "completed": booking_pb2.APPOINTMENT_STATUS_COMPLETED,
    "no_show": booking_pb2.APPOINTMENT_STATUS_NO_SHOW,
}
PROTO_TO_STATUS = {v: k for k, v in STATUS_TO_PROTO.items()}
SOURCE_TO_PROTO = {
    "phone": booking_pb2.BOOKING_SOURCE_PHONE,
    "admin": booking_pb2.BOOKING_SOURCE_ADMIN,
}
PROTO_TO_SOURCE = {v: k for k, v in SOURCE_TO_PROTO.items()}
WEEKDAY_KEYS = range(7)

R = TypeVar("R")


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value.astimezone(UTC))
    return out


def from_ts(value: Timestamp, what: str) -> datetime:
    if value.seconds == 0 and value.nanos == 0:
        raise InvalidArgument(f"{what} is required.")
    return value.ToDatetime(tzinfo=UTC)


def clinic_pb(clinic: Clinic) -> booking_pb2.Clinic:
    hours = []
    for weekday, day in enumerate(clinic.hours):
        if day is None:
            hours.append(booking_pb2.DayHours(weekday=weekday, open="", close=""))
            continue
        hours.append(
            booking_pb2.DayHours(
                weekday=weekday,
                open=day.open.strftime("%H:%M"),
                close=day.close.strftime("%H:%M"),
                breaks=[
                    booking_pb2.Break(start=s.strftime("%H:%M"), end=e.strftime("%H:%M"))
                    for s, e in day.breaks
                ],
            )
        )
    return booking_pb2.Clinic(
        id=clinic.id,
        name=clinic.name,
        time_zone=clinic.time_zone,
        province=clinic.province,
        phone_number=clinic.phone_number,
        front_desk_number=clinic.front_desk_number,
        address=clinic.address,
        parking=clinic.parking,
        insurance=clinic.insurance,
        services=[
            booking_pb2.ServiceInfo(code=s.code, name=s.name, duration_minutes=s.minutes)
            for s in clinic.services.values()
        ],
        chairs=[
            booking_pb2.Chair(id=c.code, name=c.name, services=sorted(c.services))
            for c in clinic.chairs
        ],
        hours=hours,
        min_notice_minutes=clinic.min_notice_minutes,
        horizon_days=clinic.horizon_days,
        buffer_minutes=clinic.buffer_minutes,
    )


def slot_pb(slot: SlotCandidate) -> booking_pb2.Slot:
    return booking_pb2.Slot(
        start=ts(slot.start),
        end=ts(slot.end),
        chair_id=slot.chair.code,
        chair_name=slot.chair.name,
        service=slot.service,
    )


def appointment_pb(a: AppointmentView) -> booking_pb2.Appointment:
    return booking_pb2.Appointment(
        id=a.id,
        clinic_id=a.clinic_id,
        patient_id=a.patient_id,
        patient_name=a.patient_name,
        patient_phone=a.patient_phone,
        service=a.service,
        chair_id=a.chair_code,
        chair_name=a.chair_name,
        start=ts(a.start),
        end=ts(a.end),
        status=STATUS_TO_PROTO[a.status],
        source=SOURCE_TO_PROTO.get(a.source, booking_pb2.BOOKING_SOURCE_UNSPECIFIED),
        created_at=ts(a.created_at),
        updated_at=ts(a.updated_at),
        call_id=a.call_id,
        notes=a.notes,
    )


def patient_pb(p: PatientView) -> booking_pb2.Patient:
    return booking_pb2.Patient(
        id=p.id,
        clinic_id=p.clinic_id,
        name=p.name,
        phone=p.phone,
        created_at=ts(p.created_at),
        updated_at=ts(p.updated_at),
        appointments=[appointment_pb(a) for a in p.appointments],
    )


def slot_conflict_status(exc: SlotTaken) -> grpc.Status:
    detail = any_pb2.Any()
    detail.Pack(
        booking_pb2.SlotConflict(
            message=exc.message, alternatives=[slot_pb(s) for s in exc.alternatives]
        )
    )
    return rpc_status.to_status(
        status_pb2.Status(code=code_pb2.ALREADY_EXISTS, message=exc.message, details=[detail])
    )


def _now(request: Any, field: str = "now") -> datetime | None:
    if request.HasField(field):
        return getattr(request, field).ToDatetime(tzinfo=UTC)  # type: ignore[no-any-return]
    return None


def handles_errors(
    fn: Callable[..., Awaitable[R]],
) -> Callable[..., Awaitable[R]]:
    """Map domain errors to gRPC status codes (messages are safe: no patient data)."""

    @functools.wraps(fn)
    async def wrapper(self: BookingServicer, request: Any, context: grpc.aio.ServicerContext) -> R:  # type: ignore[type-arg]
        try:
            return await fn(self, request, context)
        except SlotTaken as exc:
            status = slot_conflict_status(exc)
            await context.abort(status.code, status.details, status.trailing_metadata)
        except InvalidArgument as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, exc.message)
        except RuleViolation as exc:
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, exc.message)
        except NotFound as exc:
            await context.abort(grpc.StatusCode.NOT_FOUND, exc.message)
        except Unavailable as exc:
            await context.abort(grpc.StatusCode.UNAVAILABLE, exc.message)
        except BookingError as exc:  # pragma: no cover - every subclass is mapped above
            await context.abort(grpc.StatusCode.INTERNAL, exc.message)
        except Exception as exc:
            if isinstance(exc, grpc.aio.AbortError):
                raise
            # Only the type: an exception's text may quote request data.
            log.error("booking.internal_error", method=fn.__name__, error=type(exc).__name__)
            await context.abort(
                grpc.StatusCode.INTERNAL, "The booking service hit an internal error."
            )
        raise AssertionError("unreachable")  # context.abort raises

    return wrapper


class BookingServicer(booking_pb2_grpc.BookingServiceServicer):
    def __init__(self, store: BookingStore) -> None:
        self.store = store

    @handles_errors
    async def ResolveClinic(self, request, context):  # type: ignore[no-untyped-def]
        return clinic_pb(await self.store.resolve_clinic(request.phone_number))

    @handles_errors
    async def GetClinic(self, request, context):  # type: ignore[no-untyped-def]
        return clinic_pb(await self.store.clinic(request.clinic_id))

    @handles_errors
    async def ListClinics(self, request, context):  # type: ignore[no-untyped-def]
        return booking_pb2.ListClinicsResponse(
            clinics=[clinic_pb(c) for c in await self.store.list_clinics()]
        )

    @handles_errors
    async def FindSlots(self, request, context):  # type: ignore[no-untyped-def]
        if request.limit < 0 or request.limit > 50:
            raise InvalidArgument("limit must be between 0 (default 2) and 50.")
        preference = Preference.parse(
            request.preferred_date, request.preferred_time, request.part_of_day
        )
        slots, reason = await self.store.find_slots(
            request.clinic_id, request.service, preference, _now(request), request.limit or 2
        )
        return booking_pb2.FindSlotsResponse(slots=[slot_pb(s) for s in slots], reason=reason)

    @handles_errors
    async def Book(self, request, context):  # type: ignore[no-untyped-def]
        source = PROTO_TO_SOURCE.get(request.source, "phone")
        view = await self.store.book(
            BookCommand(
                clinic_id=request.clinic_id,
                idempotency_key=request.idempotency_key,
                service=request.service,
                start=from_ts(request.start, "start"),
                patient_id=request.patient_id,
                patient_name=request.patient_name,
                patient_phone=request.patient_phone,
                chair_code=request.chair_id,
                source=source,
                call_id=request.call_id,
                notes=request.notes,
                now=_now(request),
            )
        )
        return appointment_pb(view)

    @handles_errors
    async def Cancel(self, request, context):  # type: ignore[no-untyped-def]
        view = await self.store.cancel(request.clinic_id, request.appointment_id, request.reason)
        return appointment_pb(view)

    @handles_errors
    async def Reschedule(self, request, context):  # type: ignore[no-untyped-def]
        view = await self.store.reschedule(
            request.clinic_id,
            request.appointment_id,
            from_ts(request.new_start, "new_start"),
            chair_code=request.chair_id,
            idempotency_key=request.idempotency_key,
            now=_now(request),
        )
        return appointment_pb(view)

    @handles_errors
    async def GetAppointment(self, request, context):  # type: ignore[no-untyped-def]
        return appointment_pb(
            await self.store.get_appointment(request.clinic_id, request.appointment_id)
        )

    @handles_errors
    async def ListAppointments(self, request, context):  # type: ignore[no-untyped-def]
        start = end = None
        if request.HasField("range"):
            if request.range.HasField("start"):
                start = request.range.start.ToDatetime(tzinfo=UTC)
            if request.range.HasField("end"):
                end = request.range.end.ToDatetime(tzinfo=UTC)
        statuses = []
        for s in request.statuses:
            if s not in PROTO_TO_STATUS:
                raise InvalidArgument("statuses holds an unknown appointment status.")
            statuses.append(PROTO_TO_STATUS[s])
        items, token, total = await self.store.list_appointments(
            AppointmentFilter(
                clinic_id=request.clinic_id,
                start=start,
                end=end,
                statuses=statuses,
                services=list(request.services),
                query=request.query,
                phone=request.phone,
                patient_id=request.patient_id,
                page_size=request.page.page_size,
                page_token=request.page.page_token,
            )
        )
        return booking_pb2.ListAppointmentsResponse(
            appointments=[appointment_pb(a) for a in items], next_page_token=token, total=total
        )

    @handles_errors
    async def FindPatientAppointments(self, request, context):  # type: ignore[no-untyped-def]
        items = await self.store.find_patient_appointments(
            request.clinic_id, request.phone, request.upcoming_only, _now(request)
        )
        return booking_pb2.ListAppointmentsResponse(
            appointments=[appointment_pb(a) for a in items], total=len(items)
        )

    @handles_errors
    async def FindOrCreatePatient(self, request, context):  # type: ignore[no-untyped-def]
        return patient_pb(
            await self.store.find_or_create_patient(request.clinic_id, request.name, request.phone)
        )

    @handles_errors
    async def GetPatient(self, request, context):  # type: ignore[no-untyped-def]
        return patient_pb(await self.store.get_patient(request.clinic_id, request.patient_id))

    @handles_errors
    async def ListPatients(self, request, context):  # type: ignore[no-untyped-def]
        items, token, total = await self.store.list_patients(
            request.clinic_id, request.query, request.page.page_size, request.page.page_token
        )
        return booking_pb2.ListPatientsResponse(
            patients=[patient_pb(p) for p in items], next_page_token=token, total=total
        )

    @handles_errors
    async def ExportIcs(self, request, context):  # type: ignore[no-untyped-def]
        if not (
            request.HasField("range")
            and request.range.HasField("start")
            and request.range.HasField("end")
        ):
            raise InvalidArgument("range with a start and an end is required.")
        start = request.range.start.ToDatetime(tzinfo=UTC)
        end = request.range.end.ToDatetime(tzinfo=UTC)
        clinic = await self.store.clinic(request.clinic_id)
        items = await self.store.appointments_between(request.clinic_id, start, end)
        return booking_pb2.IcsDocument(content=render_ics(clinic, items))
