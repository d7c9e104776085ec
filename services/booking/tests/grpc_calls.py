"""Small builders for booking requests in the integration tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import grpc
from bella.v1 import booking_pb2
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import status_pb2
from grpc_status import rpc_status

TORONTO = ZoneInfo("America/Toronto")
CLINIC = "test-toronto"
TIMEOUT = 10


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value.astimezone(UTC))
    return out


def toronto(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TORONTO)


NOW = toronto(2027, 1, 4, 7, 0)  # Monday 4 January 2027, 07:00 in Toronto


def book_request(
    start: datetime,
    *,
    service: str = "checkup",
    chair: str = "",
    key: str | None = None,
    name: str = "Jane Doe",
    phone: str = "+14165550123",
    now: datetime = NOW,
    clinic: str = CLINIC,
    **extra: object,
) -> booking_pb2.BookRequest:
    return booking_pb2.BookRequest(
        clinic_id=clinic,
        idempotency_key=key or uuid.uuid4().hex,
        patient_name=name,
        patient_phone=phone,
        service=service,
        start=ts(start),
        chair_id=chair,
        source=booking_pb2.BOOKING_SOURCE_PHONE,
        now=ts(now),
        **extra,  # type: ignore[arg-type]
    )


def slot_conflict(err: grpc.aio.AioRpcError) -> booking_pb2.SlotConflict:
    status = rpc_status.from_call(err)  # type: ignore[arg-type]
    assert isinstance(status, status_pb2.Status)
    conflict = booking_pb2.SlotConflict()
    assert status.details[0].Unpack(conflict)
    return conflict
