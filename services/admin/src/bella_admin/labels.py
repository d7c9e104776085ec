"""Names for proto enums, shared by pages, CSV and the API."""

from __future__ import annotations

import re

from bella.v1 import booking_pb2, calls_pb2

APPOINTMENT_STATUS = {
    booking_pb2.APPOINTMENT_STATUS_BOOKED: "booked",
    booking_pb2.APPOINTMENT_STATUS_CANCELLED: "cancelled",
    booking_pb2.APPOINTMENT_STATUS_COMPLETED: "completed",
    booking_pb2.APPOINTMENT_STATUS_NO_SHOW: "no_show",
}
STATUS_BY_NAME = {v: k for k, v in APPOINTMENT_STATUS.items()}

BOOKING_SOURCE = {
    booking_pb2.BOOKING_SOURCE_PHONE: "phone",
    booking_pb2.BOOKING_SOURCE_ADMIN: "admin",
}

CALL_OUTCOME = {
    calls_pb2.CALL_OUTCOME_UNSPECIFIED: "in_progress",
    calls_pb2.CALL_OUTCOME_BOOKED: "booked",
    calls_pb2.CALL_OUTCOME_CANCELLED: "cancelled",
    calls_pb2.CALL_OUTCOME_RESCHEDULED: "rescheduled",
    calls_pb2.CALL_OUTCOME_INFO: "info",
    calls_pb2.CALL_OUTCOME_TRANSFERRED: "transferred",
    calls_pb2.CALL_OUTCOME_CALLBACK: "callback",
    calls_pb2.CALL_OUTCOME_ABANDONED: "abandoned",
    calls_pb2.CALL_OUTCOME_FAILED: "failed",
}
OUTCOME_BY_NAME = {v: k for k, v in CALL_OUTCOME.items() if k}


def appointment_status(value: int) -> str:
    return APPOINTMENT_STATUS.get(value, "unknown")  # type: ignore[call-overload]


def booking_source(value: int) -> str:
    return BOOKING_SOURCE.get(value, "")  # type: ignore[call-overload]


def call_outcome(value: int) -> str:
    return CALL_OUTCOME.get(value, "unknown")  # type: ignore[call-overload]


XRAY_TRACE_ID = re.compile(r"^1-[0-9a-f]{8}-[0-9a-f]{24}$")


def xray_console_url(region: str, trace_id: str) -> str:
    """The CloudWatch console's X-Ray trace view for a trace id ("" for a malformed id)."""
    if not XRAY_TRACE_ID.match(trace_id) or not re.match(r"^[a-z]{2}(-[a-z]+)+-\d$", region):
        return ""
    return (
        f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#xray:traces/{trace_id}"
    )
