"""gRPC adapters behind the conversation's Backend port: NLP and booking.

Every call has a deadline and goes through a circuit breaker, so a slow or
dead peer costs at most one deadline and then fails fast; the conversation
turns DependencyDown into the keypad menu (NLP) or a call-back (booking).
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypeVar

import grpc
from bella.v1 import booking_pb2, booking_pb2_grpc, nlp_pb2, nlp_pb2_grpc
from bella_core.circuit import CircuitBreaker, CircuitOpenError
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import status_pb2

from bella_voice.conversation import (
    Appointment,
    Clinic,
    DependencyDown,
    Refused,
    Slot,
    SlotTaken,
    Understood,
)

T = TypeVar("T")

_EXPECT = {
    "intent": nlp_pb2.EXPECT_INTENT, "name": nlp_pb2.EXPECT_NAME, "phone": nlp_pb2.EXPECT_PHONE,
    "datetime": nlp_pb2.EXPECT_DATETIME, "service": nlp_pb2.EXPECT_SERVICE,
    "confirm": nlp_pb2.EXPECT_CONFIRM,
}
_INTENT = {
    nlp_pb2.INTENT_BOOK: "book", nlp_pb2.INTENT_CANCEL: "cancel",
    nlp_pb2.INTENT_RESCHEDULE: "reschedule", nlp_pb2.INTENT_HUMAN: "human",
    nlp_pb2.INTENT_INFO: "info",
}
_PART = {
    nlp_pb2.PART_OF_DAY_MORNING: "morning", nlp_pb2.PART_OF_DAY_AFTERNOON: "afternoon",
    nlp_pb2.PART_OF_DAY_EVENING: "evening",
}
_YES_NO = {nlp_pb2.YES_NO_YES: "yes", nlp_pb2.YES_NO_NO: "no"}
# Failures that mean "the peer is not answering", as opposed to "it said no".
_DOWN = {
    grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.CANCELLED,
}
MAX_TEXT_BYTES = 4096
SNAPSHOT = "bella:voice:clinic:"


def _ts(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _dt(ts: Timestamp) -> datetime:
    return ts.ToDatetime(tzinfo=UTC)


def clinic_from_proto(c: booking_pb2.Clinic) -> Clinic:
    return Clinic(
        id=c.id, name=c.name, time_zone=c.time_zone or "America/Toronto",
        phone_number=c.phone_number, front_desk_number=c.front_desk_number,
        address=c.address, parking=c.parking, insurance=c.insurance,
        services={s.code: s.name for s in c.services},
        hours=[(h.weekday, h.open, h.close) for h in c.hours],
    )


def slot_from_proto(s: booking_pb2.Slot) -> Slot:
    return Slot(start=_dt(s.start), end=_dt(s.end), chair_id=s.chair_id, service=s.service)


def _conflict_alternatives(err: grpc.aio.AioRpcError) -> list[Slot]:
    for key, value in err.trailing_metadata() or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                conflict = booking_pb2.SlotConflict()
                if detail.Unpack(conflict):
                    return [slot_from_proto(s) for s in conflict.alternatives]
    return []


class Guarded:
    """Deadline + breaker + latency callback around one peer."""

    def __init__(self, name: str, breaker: CircuitBreaker, timeout: float,
                 on_latency: Callable[[str, float], None] | None = None) -> None:
        self.name = name
        self.breaker = breaker
        self.timeout = timeout
        self.on_latency = on_latency

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allow():
            raise DependencyDown(f"{self.name} circuit open")
        t0 = time.perf_counter()
        try:
            result = await fn()
        except grpc.aio.AioRpcError as err:
            if err.code() in _DOWN:
                self.breaker.record_failure()
                raise DependencyDown(f"{self.name}: {err.code().name}") from None
            self.breaker.record_success()  # it answered, just not with a yes
            raise
        except CircuitOpenError:
            raise DependencyDown(f"{self.name} circuit open") from None
        except Exception:
            self.breaker.record_failure()
            raise
        finally:
            if self.on_latency is not None:
                self.on_latency(self.name, time.perf_counter() - t0)
        self.breaker.record_success()
        return result


class GrpcBackend:
    """The conversation's Backend over the NLP and booking gRPC services."""

    def __init__(self, nlp: nlp_pb2_grpc.NlpServiceStub,
                 booking: booking_pb2_grpc.BookingServiceStub, *, nlp_guard: Guarded,
                 booking_guard: Guarded) -> None:
        self.nlp = nlp
        self.booking = booking
        self.nlp_guard = nlp_guard
        self.booking_guard = booking_guard

    async def understand(self, text: str, expect: str, now: datetime, clinic: Clinic
                         ) -> Understood:
        clipped = text.encode()[:MAX_TEXT_BYTES].decode(errors="ignore")
        req = nlp_pb2.ExtractRequest(text=clipped, expect=_EXPECT.get(expect, 0),  # type: ignore[arg-type]
                                     now=_ts(now), time_zone=clinic.time_zone,
                                     clinic_id=clinic.id)
        try:
            r = await self.nlp_guard.call(
                lambda: self.nlp.Extract(req, timeout=self.nlp_guard.timeout))
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.INVALID_ARGUMENT:
                return Understood()
            raise DependencyDown(f"nlp: {err.code().name}") from None
        c = r.confidence
        found = [v for v, present in (
            (c.intent, r.intent), (c.name, r.name), (c.phone, r.phone), (c.date, r.date),
            (c.time, r.time), (c.part_of_day, r.part_of_day), (c.service, r.service),
            (c.confirm, r.confirm)) if present]
        return Understood(
            intent=_INTENT.get(r.intent, ""), name=r.name, phone=r.phone, date=r.date,
            time=r.time, part_of_day=_PART.get(r.part_of_day, ""), service=r.service,
            confirm=_YES_NO.get(r.confirm, ""), intent_confidence=c.intent,
            confidence=sum(found) / len(found) if found else 0.0,
        )

    async def _booking(self, fn: Callable[[], Awaitable[T]]) -> T:
        return await self.booking_guard.call(fn)

    async def find_slots(self, clinic: Clinic, service: str, date: str, time: str,
                         part_of_day: str, now: datetime) -> tuple[list[Slot], str]:
        req = booking_pb2.FindSlotsRequest(
            clinic_id=clinic.id, service=service, preferred_date=date, preferred_time=time,
            part_of_day=part_of_day, limit=4, now=_ts(now))
        try:
            r = await self._booking(
                lambda: self.booking.FindSlots(req, timeout=self.booking_guard.timeout))
        except grpc.aio.AioRpcError as err:
            return [], err.details() or ""
        return [slot_from_proto(s) for s in r.slots], r.reason

    async def book(self, clinic: Clinic, *, key: str, name: str, phone: str, slot: Slot,
                   call_sid: str, now: datetime) -> str:
        req = booking_pb2.BookRequest(
            clinic_id=clinic.id, idempotency_key=key, patient_name=name, patient_phone=phone,
            # Any free chair at that time: the caller chose a time, not a chair, and another
            # caller may have taken the offered chair meanwhile.
            service=slot.service, start=_ts(slot.start), chair_id="",
            source=booking_pb2.BOOKING_SOURCE_PHONE, call_id=call_sid, now=_ts(now))
        try:
            appt = await self._booking(
                lambda: self.booking.Book(req, timeout=self.booking_guard.timeout))
        except grpc.aio.AioRpcError as err:
            raise self._refusal(err) from None
        return str(appt.id)

    @staticmethod
    def _refusal(err: grpc.aio.AioRpcError) -> Exception:
        if err.code() == grpc.StatusCode.ALREADY_EXISTS:
            return SlotTaken(_conflict_alternatives(err))
        return Refused(err.details() or "That time isn't available.")

    async def find_appointments(self, clinic: Clinic, phone: str, now: datetime
                                ) -> list[Appointment]:
        req = booking_pb2.FindPatientAppointmentsRequest(
            clinic_id=clinic.id, phone=phone, upcoming_only=True, now=_ts(now))
        try:
            r = await self._booking(lambda: self.booking.FindPatientAppointments(
                req, timeout=self.booking_guard.timeout))
        except grpc.aio.AioRpcError:
            return []
        booked = [a for a in r.appointments
                  if a.status in (booking_pb2.APPOINTMENT_STATUS_BOOKED,
                                  booking_pb2.APPOINTMENT_STATUS_UNSPECIFIED)]
        booked.sort(key=lambda a: a.start.seconds)
        return [Appointment(id=a.id, service=a.service, start=_dt(a.start), chair_id=a.chair_id)
                for a in booked]

    async def cancel(self, clinic: Clinic, appointment_id: str) -> None:
        req = booking_pb2.CancelRequest(clinic_id=clinic.id, appointment_id=appointment_id,
                                        reason="cancelled by the patient on the phone")
        try:
            await self._booking(
                lambda: self.booking.Cancel(req, timeout=self.booking_guard.timeout))
        except grpc.aio.AioRpcError as err:
            raise Refused(err.details() or "I couldn't cancel that appointment.") from None

    async def reschedule(self, clinic: Clinic, appointment_id: str, slot: Slot, key: str,
                         now: datetime) -> None:
        req = booking_pb2.RescheduleRequest(
            clinic_id=clinic.id, appointment_id=appointment_id, new_start=_ts(slot.start),
            chair_id="", idempotency_key=key, now=_ts(now))
        try:
            await self._booking(
                lambda: self.booking.Reschedule(req, timeout=self.booking_guard.timeout))
        except grpc.aio.AioRpcError as err:
            raise self._refusal(err) from None


class ClinicDirectory:
    """Maps the dialled number to its clinic through booking's ResolveClinic, cached."""

    def __init__(self, booking: booking_pb2_grpc.BookingServiceStub, guard: Guarded, *,
                 ttl: float = 300.0, clock: Callable[[], float] = time.monotonic,
                 snapshots: Any = None) -> None:
        self.booking = booking
        self.guard = guard
        self.ttl = ttl
        self.clock = clock
        # Redis (optional): the last clinic seen per number and id, so any replica can still
        # answer, and take call-backs, while booking is down.
        self.snapshots = snapshots
        self._by_number: dict[str, tuple[float, Clinic | None]] = {}
        self._by_id: dict[str, Clinic] = {}

    async def _save(self, clinic: Clinic) -> None:
        if self.snapshots is None:
            return
        raw = json.dumps(asdict(clinic))
        try:
            async with self.snapshots.pipeline(transaction=False) as pipe:
                pipe.set(f"{SNAPSHOT}number:{clinic.phone_number}", raw, ex=7 * 86400)
                pipe.set(f"{SNAPSHOT}id:{clinic.id}", raw, ex=7 * 86400)
                await pipe.execute()
        except Exception:  # a cache, nothing more
            return

    async def _load(self, key: str) -> Clinic | None:
        if self.snapshots is None:
            return None
        try:
            raw = await self.snapshots.get(f"{SNAPSHOT}{key}")
        except Exception:
            return None
        if not raw:
            return None
        data = json.loads(raw)
        data["hours"] = [tuple(h) for h in data.get("hours", [])]
        return Clinic(**data)

    async def resolve(self, number: str) -> Clinic | None:
        """None for a number no clinic answers; DependencyDown when booking cannot tell."""
        hit = self._by_number.get(number)
        if hit is not None and self.clock() - hit[0] < self.ttl:
            return hit[1]
        try:
            c = await self.guard.call(lambda: self.booking.ResolveClinic(
                booking_pb2.ResolveClinicRequest(phone_number=number), timeout=self.guard.timeout))
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                self._by_number[number] = (self.clock(), None)
                return None
            raise DependencyDown(f"booking: {err.code().name}") from None
        except DependencyDown:
            if hit is not None:  # a stale answer beats none while booking is down
                return hit[1]
            saved = await self._load(f"number:{number}")
            if saved is None:
                raise
            self._by_id.setdefault(saved.id, saved)
            return saved
        clinic = clinic_from_proto(c)
        self._by_number[number] = (self.clock(), clinic)
        if self._by_id.get(clinic.id) != clinic:
            await self._save(clinic)
        self._by_id[clinic.id] = clinic
        return clinic

    async def get(self, clinic_id: str) -> Clinic | None:
        cached = self._by_id.get(clinic_id)
        if cached is not None:
            return cached
        try:
            c = await self.guard.call(lambda: self.booking.GetClinic(
                booking_pb2.GetClinicRequest(clinic_id=clinic_id), timeout=self.guard.timeout))
        except grpc.aio.AioRpcError:
            return None
        except DependencyDown:
            return await self._load(f"id:{clinic_id}")
        clinic = clinic_from_proto(c)
        self._by_id[clinic.id] = clinic
        return clinic


IDEMPOTENT_METHODS: Sequence[tuple[str, str]] = (
    ("bella.v1.NlpService", "Extract"),
    ("bella.v1.BookingService", "ResolveClinic"),
    ("bella.v1.BookingService", "GetClinic"),
    ("bella.v1.BookingService", "FindSlots"),
    ("bella.v1.BookingService", "FindPatientAppointments"),
)
