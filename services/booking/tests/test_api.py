"""The gRPC API end to end: a real server on port 0 and a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from bella.v1 import booking_pb2, common_pb2

from .grpc_calls import CLINIC, NOW, TIMEOUT, book_request, slot_conflict, toronto, ts


async def test_resolve_and_list_clinics(stub) -> None:
    toronto_clinic = await stub.ResolveClinic(
        booking_pb2.ResolveClinicRequest(phone_number="+16475550100"), timeout=TIMEOUT
    )
    assert toronto_clinic.id == "toronto"
    assert toronto_clinic.time_zone == "America/Toronto"
    assert toronto_clinic.front_desk_number == "+16475550111"
    assert len(toronto_clinic.chairs) == 4
    assert {s.code for s in toronto_clinic.services} >= {"cleaning", "root_canal"}
    monday = toronto_clinic.hours[0]
    assert (monday.open, monday.close) == ("08:00", "17:00")
    assert [(b.start, b.end) for b in monday.breaks] == [("12:00", "13:00")]
    assert toronto_clinic.hours[6].open == ""  # Sunday closed
    # Any form of the number Twilio sends resolves.
    vancouver = await stub.ResolveClinic(
        booking_pb2.ResolveClinicRequest(phone_number="(604) 555-0100"), timeout=TIMEOUT
    )
    assert vancouver.id == "vancouver"
    listed = await stub.ListClinics(booking_pb2.ListClinicsRequest(), timeout=TIMEOUT)
    assert {"toronto", "vancouver"} <= {c.id for c in listed.clinics}
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ResolveClinic(
            booking_pb2.ResolveClinicRequest(phone_number="+14165559999"), timeout=TIMEOUT
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetClinic(booking_pb2.GetClinicRequest(clinic_id="atlantis"), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_book_then_the_slot_is_gone_and_the_patient_exists(stub) -> None:
    start = toronto(2027, 1, 5, 9, 0)
    found = await stub.FindSlots(
        booking_pb2.FindSlotsRequest(
            clinic_id=CLINIC,
            service="crown",
            preferred_date="2027-01-05",
            preferred_time="09:00",
            now=ts(NOW),
        ),
        timeout=TIMEOUT,
    )
    exact = [s for s in found.slots if s.start.ToDatetime(tzinfo=UTC) == start]
    assert len(found.slots) == 2 and len(exact) == 1  # the exact time and its nearest neighbour
    first_chair = exact[0].chair_id
    booked = await stub.Book(
        book_request(
            start,
            service="crown",
            name="Ann Smith",
            phone="416-555-0142",
            call_id="call-1",
            notes="prefers mornings",
        ),
        timeout=TIMEOUT,
    )
    assert booked.status == booking_pb2.APPOINTMENT_STATUS_BOOKED
    assert booked.patient_phone == "+14165550142"
    assert booked.end.ToDatetime(tzinfo=UTC) - start == timedelta(minutes=90)
    assert booked.chair_id == first_chair
    assert booked.call_id == "call-1"
    again = await stub.FindSlots(
        booking_pb2.FindSlotsRequest(
            clinic_id=CLINIC,
            service="crown",
            preferred_date="2027-01-05",
            preferred_time="09:00",
            now=ts(NOW),
            limit=5,
        ),
        timeout=TIMEOUT,
    )
    taken = [
        s
        for s in again.slots
        if s.chair_id == first_chair
        and s.start.ToDatetime(tzinfo=UTC) < start + timedelta(minutes=100)
        and s.end.ToDatetime(tzinfo=UTC) > start
    ]
    assert taken == []
    fetched = await stub.GetAppointment(
        booking_pb2.GetAppointmentRequest(clinic_id=CLINIC, appointment_id=booked.id),
        timeout=TIMEOUT,
    )
    assert fetched == booked
    patient = await stub.GetPatient(
        booking_pb2.GetPatientRequest(clinic_id=CLINIC, patient_id=booked.patient_id),
        timeout=TIMEOUT,
    )
    assert patient.name == "Ann Smith"
    assert [a.id for a in patient.appointments] == [booked.id]
    # Another clinic cannot see it.
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetAppointment(
            booking_pb2.GetAppointmentRequest(clinic_id="toronto", appointment_id=booked.id),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


async def test_same_idempotency_key_returns_the_same_appointment(stub) -> None:
    key = uuid.uuid4().hex
    start = toronto(2027, 1, 5, 14, 0)
    first = await stub.Book(book_request(start, key=key, chair="chair-1"), timeout=TIMEOUT)
    second = await stub.Book(book_request(start, key=key, chair="chair-1"), timeout=TIMEOUT)
    assert second.id == first.id
    listed = await stub.ListAppointments(
        booking_pb2.ListAppointmentsRequest(
            clinic_id=CLINIC,
            range=common_pb2.TimeRange(start=ts(start), end=ts(start + timedelta(minutes=1))),
        ),
        timeout=TIMEOUT,
    )
    assert [a.id for a in listed.appointments if a.chair_id == "chair-1"] == [first.id]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Book(
            book_request(start + timedelta(hours=1), key=key, chair="chair-1"), timeout=TIMEOUT
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "idempotency_key" in caught.value.details()


async def test_taken_slot_is_already_exists_with_alternatives(stub) -> None:
    start = toronto(2027, 1, 5, 15, 0)
    await stub.Book(book_request(start, chair="chair-2"), timeout=TIMEOUT)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Book(
            book_request(start + timedelta(minutes=15), chair="chair-2", phone="+14165550124"),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    conflict = slot_conflict(caught.value)
    assert "was just taken" in conflict.message
    assert len(conflict.alternatives) >= 1
    # The failed booking left nothing behind: the second caller was not registered.
    patients = await stub.ListPatients(
        booking_pb2.ListPatientsRequest(clinic_id=CLINIC, query="0124"), timeout=TIMEOUT
    )
    assert patients.total == 0


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"service": "teleportation"}, grpc.StatusCode.INVALID_ARGUMENT, "Unknown service"),
        ({"clinic": "atlantis"}, grpc.StatusCode.INVALID_ARGUMENT, "Unknown clinic"),
        ({"phone": "12345"}, grpc.StatusCode.INVALID_ARGUMENT, "phone number"),
        ({"chair": "chair-3", "service": "crown"}, grpc.StatusCode.INVALID_ARGUMENT, "does not do"),
        ({"start": toronto(2027, 1, 3, 9)}, grpc.StatusCode.FAILED_PRECONDITION, "already passed"),
        ({"start": toronto(2027, 1, 4, 8)}, grpc.StatusCode.FAILED_PRECONDITION, "notice"),
        ({"start": toronto(2027, 1, 5, 12)}, grpc.StatusCode.FAILED_PRECONDITION, "hours"),
        ({"start": toronto(2027, 1, 10, 9)}, grpc.StatusCode.FAILED_PRECONDITION, "Sundays"),
        ({"start": toronto(2027, 2, 15, 9)}, grpc.StatusCode.FAILED_PRECONDITION, "Family Day"),
        ({"start": toronto(2027, 6, 1, 9)}, grpc.StatusCode.FAILED_PRECONDITION, "90 days"),
        ({"key": ""}, grpc.StatusCode.INVALID_ARGUMENT, "idempotency_key"),
    ],
)
async def test_bad_bookings_are_refused_with_an_actionable_message(
    stub, change: dict, code: grpc.StatusCode, words: str
) -> None:
    start = change.pop("start", toronto(2027, 1, 5, 16, 0))
    request = book_request(start, phone=change.pop("phone", "+14165550177"), **change)
    if "key" in change:
        request.idempotency_key = ""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Book(request, timeout=TIMEOUT)
    assert caught.value.code() == code
    assert words in caught.value.details()
    found = await stub.FindPatientAppointments(
        booking_pb2.FindPatientAppointmentsRequest(clinic_id=CLINIC, phone="+14165550177"),
        timeout=TIMEOUT,
    )
    assert list(found.appointments) == []


async def test_find_slots_input_errors(stub) -> None:
    for request in (
        booking_pb2.FindSlotsRequest(clinic_id=CLINIC, service="checkup", preferred_date="5/1/27"),
        booking_pb2.FindSlotsRequest(clinic_id=CLINIC, service="checkup", preferred_time="9am"),
        booking_pb2.FindSlotsRequest(clinic_id=CLINIC, service="checkup", part_of_day="night"),
        booking_pb2.FindSlotsRequest(clinic_id=CLINIC, service="nope"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.FindSlots(request, timeout=TIMEOUT)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_cancel_frees_the_slot_and_is_idempotent(stub) -> None:
    start = toronto(2027, 1, 6, 9, 0)
    booked = await stub.Book(book_request(start, chair="chair-2"), timeout=TIMEOUT)
    cancel = booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id=booked.id, reason="sick")
    cancelled = await stub.Cancel(cancel, timeout=TIMEOUT)
    assert cancelled.status == booking_pb2.APPOINTMENT_STATUS_CANCELLED
    assert (await stub.Cancel(cancel, timeout=TIMEOUT)).status == cancelled.status
    rebooked = await stub.Book(book_request(start, chair="chair-2"), timeout=TIMEOUT)
    assert rebooked.id != booked.id
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Cancel(
            booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id=str(uuid.uuid4())),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Cancel(
            booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id="not-an-id"),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_reschedule_moves_atomically(stub) -> None:
    a = await stub.Book(book_request(toronto(2027, 1, 6, 10), chair="chair-1"), timeout=TIMEOUT)
    b = await stub.Book(
        book_request(toronto(2027, 1, 6, 11), chair="chair-1", phone="+14165550125"),
        timeout=TIMEOUT,
    )
    # Onto b's slot, same chair only: refused, and a keeps its slot.
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Reschedule(
            booking_pb2.RescheduleRequest(
                clinic_id=CLINIC,
                appointment_id=a.id,
                new_start=b.start,
                chair_id="chair-1",
                now=ts(NOW),
            ),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert slot_conflict(caught.value).alternatives
    still = await stub.GetAppointment(
        booking_pb2.GetAppointmentRequest(clinic_id=CLINIC, appointment_id=a.id), timeout=TIMEOUT
    )
    assert still.start == a.start and still.status == booking_pb2.APPOINTMENT_STATUS_BOOKED
    # Fifteen minutes later on the same chair overlaps only itself: allowed.
    key = uuid.uuid4().hex
    moved = await stub.Reschedule(
        booking_pb2.RescheduleRequest(
            clinic_id=CLINIC,
            appointment_id=a.id,
            new_start=ts(toronto(2027, 1, 6, 10, 15)),
            idempotency_key=key,
            now=ts(NOW),
        ),
        timeout=TIMEOUT,
    )
    assert moved.start.ToDatetime(tzinfo=UTC) == toronto(2027, 1, 6, 10, 15)
    assert moved.chair_id == "chair-1"  # kept with the same provider when free
    replay = await stub.Reschedule(
        booking_pb2.RescheduleRequest(
            clinic_id=CLINIC,
            appointment_id=a.id,
            new_start=ts(toronto(2027, 1, 6, 10, 15)),
            idempotency_key=key,
            now=ts(NOW),
        ),
        timeout=TIMEOUT,
    )
    assert replay.start == moved.start
    # Outside hours: FAILED_PRECONDITION, unchanged.
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Reschedule(
            booking_pb2.RescheduleRequest(
                clinic_id=CLINIC,
                appointment_id=a.id,
                new_start=ts(toronto(2027, 1, 6, 21)),
                now=ts(NOW),
            ),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_find_or_create_patient_and_upcoming_appointments(stub) -> None:
    created = await stub.FindOrCreatePatient(
        booking_pb2.FindOrCreatePatientRequest(
            clinic_id=CLINIC, name="  Bob   Lee ", phone="(416) 555-0188"
        ),
        timeout=TIMEOUT,
    )
    assert (created.name, created.phone) == ("Bob Lee", "+14165550188")
    found = await stub.FindOrCreatePatient(
        booking_pb2.FindOrCreatePatientRequest(clinic_id=CLINIC, name="", phone="+14165550188"),
        timeout=TIMEOUT,
    )
    assert found.id == created.id
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.FindOrCreatePatient(
            booking_pb2.FindOrCreatePatientRequest(clinic_id=CLINIC, name="", phone="4165550189"),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    # Same phone in another clinic is another patient.
    other = await stub.FindOrCreatePatient(
        booking_pb2.FindOrCreatePatientRequest(
            clinic_id="test-vancouver", name="Bob Lee", phone="+14165550188"
        ),
        timeout=TIMEOUT,
    )
    assert other.id != created.id
    booked = await stub.Book(
        booking_pb2.BookRequest(
            clinic_id=CLINIC,
            idempotency_key=uuid.uuid4().hex,
            patient_id=created.id,
            service="checkup",
            start=ts(toronto(2027, 1, 7, 9)),
            now=ts(NOW),
            source=booking_pb2.BOOKING_SOURCE_ADMIN,
        ),
        timeout=TIMEOUT,
    )
    assert booked.source == booking_pb2.BOOKING_SOURCE_ADMIN
    upcoming = await stub.FindPatientAppointments(
        booking_pb2.FindPatientAppointmentsRequest(
            clinic_id=CLINIC, phone="416 555 0188", upcoming_only=True, now=ts(NOW)
        ),
        timeout=TIMEOUT,
    )
    assert [a.id for a in upcoming.appointments] == [booked.id]
    later = await stub.FindPatientAppointments(
        booking_pb2.FindPatientAppointmentsRequest(
            clinic_id=CLINIC,
            phone="+14165550188",
            upcoming_only=True,
            now=ts(toronto(2027, 1, 8, 9)),
        ),
        timeout=TIMEOUT,
    )
    assert list(later.appointments) == []


async def test_list_appointments_filters_and_pages(stub) -> None:
    day = (toronto(2027, 1, 8, 0), toronto(2027, 1, 9, 0))
    ids = []
    for hour in (8, 9, 10, 11, 13):
        booked = await stub.Book(
            book_request(
                toronto(2027, 1, 8, hour),
                chair="chair-2",
                name=f"Pat {hour}",
                phone=f"+1416555{hour:04d}",
            ),
            timeout=TIMEOUT,
        )
        ids.append(booked.id)
    await stub.Cancel(
        booking_pb2.CancelRequest(clinic_id=CLINIC, appointment_id=ids[0]), timeout=TIMEOUT
    )
    seen, token = [], ""
    while True:
        page = await stub.ListAppointments(
            booking_pb2.ListAppointmentsRequest(
                clinic_id=CLINIC,
                range=common_pb2.TimeRange(start=ts(day[0]), end=ts(day[1])),
                page=common_pb2.PageRequest(page_size=2, page_token=token),
            ),
            timeout=TIMEOUT,
        )
        assert page.total == 5
        seen += [a.id for a in page.appointments]
        token = page.next_page_token
        if not token:
            break
    assert seen == ids
    booked_only = await stub.ListAppointments(
        booking_pb2.ListAppointmentsRequest(
            clinic_id=CLINIC,
            range=common_pb2.TimeRange(start=ts(day[0]), end=ts(day[1])),
            statuses=[booking_pb2.APPOINTMENT_STATUS_BOOKED],
        ),
        timeout=TIMEOUT,
    )
    assert [a.id for a in booked_only.appointments] == ids[1:]
    by_name = await stub.ListAppointments(
        booking_pb2.ListAppointmentsRequest(clinic_id=CLINIC, query="pat 10"), timeout=TIMEOUT
    )
    assert [a.id for a in by_name.appointments] == [ids[2]]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ListAppointments(
            booking_pb2.ListAppointmentsRequest(
                clinic_id=CLINIC, range=common_pb2.TimeRange(start=ts(day[1]), end=ts(day[0]))
            ),
            timeout=TIMEOUT,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "ends before it starts" in caught.value.details()


async def test_export_ics_has_no_phone_numbers(stub) -> None:
    from icalendar import Calendar

    day = (toronto(2027, 1, 8, 0), toronto(2027, 1, 9, 0))
    doc = await stub.ExportIcs(
        booking_pb2.ExportIcsRequest(
            clinic_id=CLINIC, range=common_pb2.TimeRange(start=ts(day[0]), end=ts(day[1]))
        ),
        timeout=TIMEOUT,
    )
    cal = Calendar.from_ical(doc.content)
    events = cal.walk("VEVENT")
    assert len(events) == 4  # the cancelled one is left out
    assert str(events[0]["summary"]) == "Check-up: Pat 9."  # first name + initial only
    assert events[0].decoded("dtstart") == toronto(2027, 1, 8, 9).astimezone(UTC)
    assert "416555" not in doc.content and "+1" not in doc.content


@pytest.mark.parametrize(
    ("now", "day", "utc_hour"),
    [
        (toronto(2027, 3, 10, 9), (2027, 3, 15), 12),  # the Monday after spring-forward: EDT
        (toronto(2027, 11, 1, 9), (2027, 11, 8), 13),  # the Monday after fall-back: EST
    ],
)
async def test_dst_weeks_store_the_right_utc_instant(
    stub, booking_database: str, now, day, utc_hour: int
) -> None:
    from bella_core.databases import asyncpg_url
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    found = await stub.FindSlots(
        booking_pb2.FindSlotsRequest(
            clinic_id=CLINIC,
            service="cleaning",
            preferred_date=f"{day[0]}-{day[1]:02d}-{day[2]:02d}",
            preferred_time="08:00",
            limit=1,
            now=ts(now),
        ),
        timeout=TIMEOUT,
    )
    assert found.slots[0].start.ToDatetime(tzinfo=UTC) == datetime(*day, utc_hour, tzinfo=UTC)
    booked = await stub.Book(
        book_request(toronto(*day, 8), service="cleaning", now=now), timeout=TIMEOUT
    )
    engine = create_async_engine(asyncpg_url(booking_database))
    try:
        async with engine.connect() as conn:
            stored = (
                await conn.execute(
                    text(
                        "SELECT start_at AT TIME ZONE 'UTC' FROM booking.appointments "
                        "WHERE id = :id"
                    ),
                    {"id": booked.id},
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    assert stored == datetime(*day, utc_hour)
    assert booked.end.ToDatetime(tzinfo=UTC) == datetime(*day, utc_hour + 1, tzinfo=UTC)
