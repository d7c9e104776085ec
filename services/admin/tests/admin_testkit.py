"""Helpers shared by the admin tests (importable: conftest puts this folder on sys.path)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import grpc
import httpx
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_admin.settings import AdminSettings

TEST_CLINICS = Path(__file__).parent / "clinics.yaml"
CLINIC = "admin-test-toronto"
OTHER = "admin-test-vancouver"
ZONE = "America/Toronto"
PASSWORD = "correct horse battery"


@dataclass
class World:
    """What the fixtures put in the system, for tests to look for."""

    today: list[booking_pb2.Appointment] = field(default_factory=list)
    future: list[booking_pb2.Appointment] = field(default_factory=list)
    other_clinic: list[booking_pb2.Appointment] = field(default_factory=list)
    call_ids: dict[str, str] = field(default_factory=dict)
    other_call_id: str = ""
    callback_ids: list[str] = field(default_factory=list)


def make_settings(database_url: str, redis_url: str, backends: dict[str, str],
                  **overrides: object) -> AdminSettings:
    values: dict[str, object] = {
        "database_url": database_url, "redis_url": redis_url,
        "booking_address": backends["booking"], "voice_address": backends["voice"],
        "admin_http_port": 0, "environment": "test", "admin_trust_proxy": True,
        "admin_api_token": "automation-token-" + "x" * 32,
        "admin_api_token_clinic": CLINIC,
        # Smaller than the default 20 so the per-address lock-out test is quick.
        "admin_lockout_ip_failures": 8,
    }
    values.update(overrides)
    return AdminSettings(**values)  # type: ignore[arg-type]


async def seed_world(backends: dict[str, str]) -> World:
    """Appointments through booking's gRPC; calls through voice's call-record store."""
    from bella_voice.records import CallRecords, Outcome, TurnRecord

    out = World()
    channel = grpc.aio.insecure_channel(backends["booking"])
    stub = booking_pb2_grpc.BookingServiceStub(channel)
    tz = ZoneInfo(ZONE)
    local_midnight = datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    now_ts = _ts(local_midnight)

    async def book(clinic: str, name: str, phone: str, service: str, start: datetime,
                   chair: str = "", notes: str = "") -> booking_pb2.Appointment:
        req = booking_pb2.BookRequest(
            clinic_id=clinic, idempotency_key=uuid.uuid4().hex, patient_name=name,
            patient_phone=phone, service=service, start=_ts(start), chair_id=chair,
            source=booking_pb2.BOOKING_SOURCE_PHONE, notes=notes,
        )
        req.now.CopyFrom(now_ts)
        return await stub.Book(req, timeout=10)

    day = local_midnight
    people = [("Amelia Tremblay", "+14165550101"), ("Noah Gagnon", "+14165550102"),
              ("Olivia Roy", "+14165550103")]
    for i, (name, phone) in enumerate(people):
        out.today.append(await book(CLINIC, name, phone, "checkup",
                                    day.replace(hour=9 + i), chair="chair-1"))
    out.today.append(await book(CLINIC, "Liam Bouchard", "+14165550104", "cleaning",
                                day.replace(hour=10), chair="chair-2",
                                notes="=HYPERLINK(\"http://evil.example\")"))
    tomorrow = day + timedelta(days=2)
    out.future.append(await book(CLINIC, "Emma Reschedule", "+14165550105", "checkup",
                                 tomorrow.replace(hour=11)))
    out.future.append(await book(CLINIC, "Jack Cancel", "+14165550106", "checkup",
                                 tomorrow.replace(hour=14)))
    out.future.append(await book(CLINIC, "Ava Browser", "+14165550107", "checkup",
                                 tomorrow.replace(hour=15)))
    out.other_clinic.append(await book(OTHER, "Vera Elsewhere", "+16045550108", "checkup",
                                       (datetime.now(ZoneInfo("America/Vancouver")) +
                                        timedelta(days=2)).replace(hour=10, minute=0, second=0,
                                                                   microsecond=0)))
    await channel.close()

    records = CallRecords.from_url(backends["database_url"], pool_size=2)
    t0 = datetime.now(UTC) - timedelta(hours=1)
    for key, outcome in (("booked", Outcome.BOOKED), ("transferred", Outcome.TRANSFERRED)):
        sid = f"CA{uuid.uuid4().hex}"
        await records.start_call(
            call_sid=sid, clinic_id=CLINIC, time_zone=ZONE, from_phone="+14165550101",
            to_phone="+16475550177", started_at=t0, trace_id="1-5f84c7a1-3b9c7d2e4f5a6b7c8d9e0f1a",
        )
        await records.add_turn(sid, TurnRecord(index=0, at=t0, bella_text="Hi, this is Bella."))
        await records.add_turn(
            sid,
            TurnRecord(index=1, at=t0 + timedelta(seconds=6), expect="intent",
                       caller_text="I'd like to book a cleaning", asr_confidence=0.91,
                       understood_json='{"intent": "book", "service": "cleaning"}',
                       nlp_confidence=0.87, bella_text="Sure, what day suits you?",
                       latency_ms=420),
            outcome=outcome, wanted_booking=True,
        )
        await records.end_call(sid, status="completed", duration_seconds=95,
                               ended_at=t0 + timedelta(seconds=95))
        out.call_ids[key] = sid
    live = f"CA{uuid.uuid4().hex}"
    await records.start_call(call_sid=live, clinic_id=CLINIC, time_zone=ZONE,
                             from_phone="+14165550199", to_phone="+16475550177",
                             started_at=datetime.now(UTC), trace_id="")
    out.call_ids["live"] = live
    other = f"CA{uuid.uuid4().hex}"
    await records.start_call(call_sid=other, clinic_id=OTHER, time_zone="America/Vancouver",
                             from_phone="+16045550199", to_phone="+16045550177",
                             started_at=t0, trace_id="")
    out.other_call_id = other
    await records.add_callback(clinic_id=CLINIC, call_sid=out.call_ids["transferred"],
                               name="Zoe Callback", phone="+14165550110",
                               reason="book a filling", created_at=t0)
    await records.close()
    return out


def _ts(value: datetime):  # type: ignore[no-untyped-def]
    from google.protobuf.timestamp_pb2 import Timestamp

    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD,
                ip: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": ip} if ip else {}
    page = await client.get("/login", headers=headers)
    return await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        headers=headers,
    )


async def post_form(client: httpx.AsyncClient, page_url: str, action: str,
                    data: dict[str, str] | None = None) -> httpx.Response:
    """Submit a form the way a browser would: the CSRF token from the page it is on."""
    page = await client.get(page_url)
    assert page.status_code == 200, page.text
    return await client.post(action, data={**(data or {}), "csrf_token": csrf_of(page.text)})
