"""No double booking under concurrency, enforced by PostgreSQL: racing calls through gRPC."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import grpc
from bella.v1 import booking_pb2, common_pb2

from .grpc_calls import CLINIC, NOW, TIMEOUT, book_request, slot_conflict, toronto, ts

RACERS = 60


async def _booked_on(stub, chair: str, start, end) -> list[booking_pb2.Appointment]:
    listed = await stub.ListAppointments(
        booking_pb2.ListAppointmentsRequest(
            clinic_id=CLINIC,
            range=common_pb2.TimeRange(start=ts(start), end=ts(end)),
            statuses=[booking_pb2.APPOINTMENT_STATUS_BOOKED],
            page=common_pb2.PageRequest(page_size=500),
        ),
        timeout=TIMEOUT,
    )
    return [a for a in listed.appointments if a.chair_id == chair]


async def test_racing_bookings_for_one_slot_exactly_one_wins(stub) -> None:
    start = toronto(2027, 1, 12, 9, 0)  # Tuesday
    requests = [
        book_request(start, chair="chair-1", name=f"Racer {i}", phone=f"+1416555{1000 + i:04d}")
        for i in range(RACERS)
    ]
    results = await asyncio.gather(
        *(stub.Book(r, timeout=30) for r in requests), return_exceptions=True
    )
    winners = [r for r in results if isinstance(r, booking_pb2.Appointment)]
    losers = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(winners) == 1, [r for r in results if not isinstance(r, booking_pb2.Appointment)][:3]
    assert len(losers) == RACERS - 1
    for err in losers:
        assert err.code() == grpc.StatusCode.ALREADY_EXISTS, err.details()
        conflict = slot_conflict(err)
        assert conflict.alternatives, "every loser is offered alternatives"
        for alt in conflict.alternatives:
            assert alt.start.ToDatetime() != start.replace(tzinfo=None) or alt.chair_id != "chair-1"
    assert [a.id for a in await _booked_on(stub, "chair-1", start, start + timedelta(hours=1))] == [
        winners[0].id
    ]
    # Losers were not registered as patients (their transaction rolled back entirely).
    patients = await stub.ListPatients(
        booking_pb2.ListPatientsRequest(clinic_id=CLINIC, query="Racer"), timeout=TIMEOUT
    )
    assert patients.total == 1


async def test_racing_overlapping_bookings_never_overlap(stub) -> None:
    # Six start times 20 minutes apart on one chair (a 45 min filling + 10 min buffer blocks
    # 55 minutes), ten racers each: whatever wins, no two survivors overlap, buffer included.
    base = toronto(2027, 1, 13, 13, 0)  # Wednesday afternoon
    requests = [
        book_request(
            base + timedelta(minutes=20 * (i % 6)),
            service="filling",
            chair="chair-2",
            phone=f"+1416555{2000 + i:04d}",
        )
        for i in range(RACERS)
    ]
    results = await asyncio.gather(
        *(stub.Book(r, timeout=30) for r in requests), return_exceptions=True
    )
    assert all(
        isinstance(r, booking_pb2.Appointment) or r.code() == grpc.StatusCode.ALREADY_EXISTS
        for r in results
    )
    booked = await _booked_on(stub, "chair-2", base - timedelta(hours=1), base + timedelta(hours=2))
    # Every start compatible with the winners got in: a maximal set, here always two bookings.
    assert len(booked) == 2
    assert len(booked) == sum(isinstance(r, booking_pb2.Appointment) for r in results)
    spans = sorted((a.start.ToDatetime(), a.end.ToDatetime()) for a in booked)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end + timedelta(minutes=10) <= start


async def test_racing_reschedules_onto_one_slot(stub) -> None:
    # Ten appointments on chair-2 on Thursday morning all try to move to the same afternoon slot.
    starts = [toronto(2027, 1, 14, 8, 0) + timedelta(minutes=40 * i) for i in range(6)]
    starts += [toronto(2027, 1, 14, 13, 0) + timedelta(minutes=40 * i) for i in range(4)]
    movers = []
    for i, start in enumerate(starts):
        booked = await stub.Book(
            book_request(start, chair="chair-2", phone=f"+1416555{3000 + i:04d}"),
            timeout=TIMEOUT,
        )
        movers.append(booked)
    target = toronto(2027, 1, 14, 16, 0)
    results = await asyncio.gather(
        *(
            stub.Reschedule(
                booking_pb2.RescheduleRequest(
                    clinic_id=CLINIC,
                    appointment_id=a.id,
                    new_start=ts(target),
                    chair_id="chair-2",
                    now=ts(NOW),
                ),
                timeout=30,
            )
            for a in movers
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, booking_pb2.Appointment)]
    losers = [r for r in results if not isinstance(r, booking_pb2.Appointment)]
    assert len(winners) == 1
    assert all(e.code() == grpc.StatusCode.ALREADY_EXISTS for e in losers)
    assert all(slot_conflict(e).alternatives for e in losers)
    # The losers kept their original slots: nothing was freed for a failed move.
    for original in movers:
        now_is = await stub.GetAppointment(
            booking_pb2.GetAppointmentRequest(clinic_id=CLINIC, appointment_id=original.id),
            timeout=TIMEOUT,
        )
        assert now_is.status == booking_pb2.APPOINTMENT_STATUS_BOOKED
        if original.id == winners[0].id:
            assert now_is.start == ts(target)
        else:
            assert now_is.start == original.start


async def test_racing_any_chair_bookings_fill_each_chair_once(stub) -> None:
    # Crowns are done by chair-1 and chair-2: sixty callers asking for "any chair" at the same
    # time get exactly two bookings, one per chair; the rest are told it was taken.
    start = toronto(2027, 1, 15, 9, 0)  # Friday
    results = await asyncio.gather(
        *(
            stub.Book(
                book_request(start, service="crown", phone=f"+1416555{5000 + i:04d}"),
                timeout=30,
            )
            for i in range(RACERS)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, booking_pb2.Appointment)]
    assert sorted(w.chair_id for w in winners) == ["chair-1", "chair-2"]
    assert all(
        r.code() == grpc.StatusCode.ALREADY_EXISTS
        for r in results
        if not isinstance(r, booking_pb2.Appointment)
    )
