"""Booking correctness after a run, read through booking's gRPC API.

- every caller who heard "you're booked" has exactly one appointment;
- no caller has two (a retried or replayed webhook never books twice);
- nobody was booked without hearing it (unless a fault made the answer unsayable);
- no chair holds two overlapping booked appointments;
- no call made more than one appointment.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bella.v1 import booking_pb2, booking_pb2_grpc, common_pb2
from bella_core.grpc_client import open_channel

from .flows import CallResult, Kind

CLINICS = ("toronto", "vancouver")


async def list_appointments(
    booking_address: str, clinics: Iterable[str] = CLINICS, *, phone: str = ""
) -> list[booking_pb2.Appointment]:
    channel = open_channel(booking_address)
    stub = booking_pb2_grpc.BookingServiceStub(channel)
    found: list[booking_pb2.Appointment] = []
    try:
        for clinic in clinics:
            token = ""
            while True:
                resp = await stub.ListAppointments(
                    booking_pb2.ListAppointmentsRequest(
                        clinic_id=clinic,
                        phone=phone,
                        page=common_pb2.PageRequest(page_size=500, page_token=token),
                    ),
                    timeout=10,
                )
                found.extend(resp.appointments)
                token = resp.next_page_token
                if not token or not resp.appointments:
                    break
    finally:
        await channel.close()
    return found


@dataclass
class CorrectnessReport:
    appointments: int = 0
    booked: int = 0
    confirmed_callers: int = 0
    problems: list[str] = field(default_factory=list)
    unconfirmed_bookings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = (
            f"booking correctness: {self.confirmed_callers} callers heard a confirmation; "
            f"{self.appointments} appointments ({self.booked} booked); "
            f"{len(self.problems)} problems; "
            f"{len(self.unconfirmed_bookings)} booked without the caller hearing it"
        )
        return "\n".join([head, *(f"  problem: {p}" for p in self.problems[:20])])


def _overlaps(appts: Sequence[booking_pb2.Appointment]) -> list[str]:
    problems = []
    by_chair: dict[tuple[str, str], list[booking_pb2.Appointment]] = defaultdict(list)
    for a in appts:
        if a.status == booking_pb2.APPOINTMENT_STATUS_BOOKED:
            by_chair[(a.clinic_id, a.chair_id)].append(a)
    for (clinic, chair), items in by_chair.items():
        items.sort(key=lambda a: a.start.ToDatetime())
        for prev, cur in itertools.pairwise(items):
            if cur.start.ToDatetime() < prev.end.ToDatetime():
                problems.append(
                    f"chair {clinic}/{chair} double-booked: {prev.id} and {cur.id} at "
                    f"{cur.start.ToDatetime():%Y-%m-%d %H:%M}"
                )
    return problems


def check_bookings(
    results: Sequence[CallResult],
    appts: Sequence[booking_pb2.Appointment],
    *,
    allow_unconfirmed: bool = False,
) -> CorrectnessReport:
    report = CorrectnessReport(appointments=len(appts))
    report.booked = sum(a.status == booking_pb2.APPOINTMENT_STATUS_BOOKED for a in appts)
    by_phone: dict[str, list[booking_pb2.Appointment]] = defaultdict(list)
    for a in appts:
        by_phone[a.patient_phone].append(a)
    cancelled_phones = {r.persona.phone for r in results if r.heard_cancelled}
    confirmed = [r for r in results if r.persona.kind is Kind.BOOK and r.heard_booked]
    report.confirmed_callers = len(confirmed)
    for r in confirmed:
        mine = by_phone.get(r.persona.phone, [])
        if len(mine) != 1:
            report.problems.append(
                f"caller {r.call_sid[:10]} heard a confirmation but has {len(mine)} appointments"
            )
            continue
        want = (
            booking_pb2.APPOINTMENT_STATUS_CANCELLED
            if r.persona.phone in cancelled_phones
            else booking_pb2.APPOINTMENT_STATUS_BOOKED
        )
        if mine[0].status != want:
            report.problems.append(
                f"caller {r.call_sid[:10]}'s appointment is "
                f"{booking_pb2.AppointmentStatus.Name(mine[0].status)}, expected "
                f"{booking_pb2.AppointmentStatus.Name(want)}"
            )
    callers = {r.persona.phone for r in results}
    heard = {r.persona.phone for r in confirmed}
    for phone, mine in by_phone.items():
        if phone in callers and len(mine) > 1:
            report.problems.append(f"a caller has {len(mine)} appointments: {[a.id for a in mine]}")
        if phone in callers and phone not in heard:
            report.unconfirmed_bookings.extend(a.id for a in mine)
    by_call: dict[str, int] = defaultdict(int)
    for a in appts:
        if a.call_id:
            by_call[a.call_id] += 1
    report.problems.extend(
        f"call {cid[:10]} made {n} appointments" for cid, n in by_call.items() if n > 1
    )
    report.problems.extend(_overlaps(appts))
    if report.unconfirmed_bookings and not allow_unconfirmed:
        report.problems.append(
            f"{len(report.unconfirmed_bookings)} appointments booked without the caller hearing it"
        )
    return report
