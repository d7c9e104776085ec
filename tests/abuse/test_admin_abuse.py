"""The staff dashboard and API under hostile use: injection strings in
names and search boxes, brute-force sign-in, staff reaching admin pages or
another clinic's records, oversize bodies, and schemathesis over the API."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
import schemathesis
from bella.v1 import booking_pb2, booking_pb2_grpc
from bella_core.grpc_client import open_channel
from bella_core.testing.otlp import OtlpReceiver
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from tests.load.admin_web import DEMO_PASSWORD, csrf_token, login
from tests.load.correctness import list_appointments
from tests.load.harness import Running
from tests.load.scripted import eventually, persona
from tests.load.twilio_caller import TwilioCaller

pytestmark = pytest.mark.timeout(240)


def _sink(bella: Running) -> OtlpReceiver:
    assert bella.sink is not None
    return bella.sink

SQLI = "Robert'); DROP TABLE booking.appointments; --"
XSS = '<script>alert("bella")</script> Mallory'
XSS_ATTR = '"><img src=x onerror=alert(1)> Eve'
SEARCHES = ["' OR '1'='1", "%' OR 1=1 --", "\\'; SELECT pg_sleep(5); --", "%", "_", "*"]


@pytest.fixture
async def admin_client(bella: Running) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=bella.stack.admin_url, timeout=10) as c:
        yield c


async def _signed_in(bella: Running, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=bella.stack.admin_url, timeout=10)
    resp = await login(client, email, DEMO_PASSWORD)
    assert resp.status_code == 303, (resp.status_code, resp.text[:300])
    return client


def _ts(moment: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(moment)
    return ts


async def _book(bella: Running, clinic: str, name: str, phone: str) -> booking_pb2.Appointment:
    """Book the next free cleaning through booking's API, as the dashboard would."""
    channel = open_channel(bella.stack.booking_address)
    try:
        stub = booking_pb2_grpc.BookingServiceStub(channel)
        slots = await stub.FindSlots(
            booking_pb2.FindSlotsRequest(clinic_id=clinic, service="cleaning", limit=5),
            timeout=5,
        )
        assert slots.slots, slots.reason
        for slot in slots.slots:
            try:
                return await stub.Book(
                    booking_pb2.BookRequest(
                        clinic_id=clinic, idempotency_key=str(uuid.uuid4()),
                        patient_name=name, patient_phone=phone, service="cleaning",
                        start=slot.start, source=booking_pb2.BOOKING_SOURCE_ADMIN,
                    ),
                    timeout=5,
                )  # fmt: skip
            except Exception:  # taken meanwhile: try the next one
                continue
        raise AssertionError("no slot could be booked")
    finally:
        await channel.close()


async def _admin_security_events(bella: Running, kind: str) -> float:
    return _sink(bella).counter_total("SecurityEvents", "Admin", operation=kind)


async def test_injection_strings_are_stored_literally_escaped_on_pages_and_inert_in_search(
    bella: Running,
) -> None:
    stack = bella.stack
    plain = await _book(bella, "toronto", "Winifred Plainsong", "+14165557101")
    nasty = {
        SQLI: await _book(bella, "toronto", SQLI, "+14165557102"),
        XSS: await _book(bella, "toronto", XSS, "+14165557103"),
        XSS_ATTR: await _book(bella, "toronto", XSS_ATTR, "+14165557104"),
    }
    for name, appt in nasty.items():
        assert appt.patient_name == name  # stored as given, not mangled or executed

    # A caller gives a script as their name: the transcript page must show it as text.
    async with httpx.AsyncClient(timeout=10) as http:
        who = persona(name="Ignatius Scriptwell")
        caller = TwilioCaller(http, stack.voice_url, stack.auth_token, from_number=who.phone)
        answer = await caller.dial()
        answer = await caller.say("I'd like to book a cleaning")
        answer = await caller.say(XSS)
        assert answer.status == 200

    staff = await _signed_in(bella, "staff@toronto.demo")
    try:
        for page in ("/appointments", "/patients", "/today"):
            resp = await staff.get(page, params={"q": "Mallory"} if page != "/today" else None)
            assert resp.status_code == 200, (page, resp.status_code)
            assert "<script>alert" not in resp.text, page
            assert "<img src=x onerror" not in resp.text, page
        listing = (await staff.get("/appointments", params={"q": "Mallory"})).text
        assert html.escape("<script>", quote=False) in listing or "&lt;script&gt;" in listing

        async def transcript_escaped() -> bool:
            calls = await staff.get("/calls")
            ids = re.findall(r'href="/calls/([^"?#]+)"', calls.text)
            for call_id in ids:
                page = await staff.get(f"/calls/{call_id}")
                if "Mallory" in page.text:
                    assert "<script>alert" not in page.text
                    return "&lt;script&gt;" in page.text
            return False

        await eventually(transcript_escaped, 15, "the call transcript to show the script as text")

        # Search boxes: the strings are looked up literally, never run.
        for query in SEARCHES:
            for page in ("/appointments", "/patients"):
                resp = await staff.get(page, params={"q": query})
                assert resp.status_code in (200, 422), (page, query, resp.status_code)
                assert plain.patient_name not in resp.text, (page, query)
    finally:
        await staff.aclose()

    token = {"Authorization": f"Bearer {stack.admin_api_token}"}
    async with httpx.AsyncClient(base_url=stack.admin_url, timeout=10) as api:
        for query in SEARCHES:
            resp = await api.get("/api/v1/appointments", params={"q": query}, headers=token)
            assert resp.status_code in (200, 422), (query, resp.status_code, resp.text[:200])
            if resp.status_code == 200:
                names = [a.get("patient_name") for a in resp.json().get("items", [])]
                assert plain.patient_name not in names, (query, names)
        resp = await api.get("/api/v1/appointments", params={"q": "DROP TABLE"}, headers=token)
        assert resp.status_code == 200

    # And the tables are all still there with every row.
    everyone = {a.id for a in await list_appointments(stack.booking_address, ["toronto"])}
    assert {plain.id, *(a.id for a in nasty.values())} <= everyone


async def test_brute_force_sign_in_locks_the_account_and_counts_a_security_event(
    bella: Running, admin_client: httpx.AsyncClient
) -> None:
    before = await _admin_security_events(bella, "lockout")
    email = "staff@vancouver.demo"
    statuses = [(await login(admin_client, email, f"guess-{i}")).status_code for i in range(6)]
    assert statuses[0] == 401
    assert statuses[-1] == 429, statuses
    # Locked: even the right password is refused now, and no session is handed out.
    right = await login(admin_client, email, DEMO_PASSWORD)
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.text
    assert (await admin_client.get("/today")).status_code in (302, 303, 401)

    async def counted() -> bool:
        return await _admin_security_events(bella, "lockout") >= before + 1

    await eventually(counted, 10, "SecurityEvents{operation=lockout}")


async def test_staff_cannot_reach_admin_pages_or_another_clinics_records(bella: Running) -> None:
    stack = bella.stack
    theirs = await _book(bella, "vancouver", "Philippa Elsewhere", "+16045557201")
    staff = await _signed_in(bella, "staff@toronto.demo")
    admin = await _signed_in(bella, "admin@toronto.demo")
    try:
        for page in ("/users", "/tokens", "/audit"):
            assert (await admin.get(page)).status_code == 200, page
            refused = await staff.get(page)
            assert refused.status_code == 403, (page, refused.status_code)
        for client in (staff, admin):
            resp = await client.get(f"/appointments/{theirs.id}")
            assert resp.status_code == 404, resp.status_code
            assert "Elsewhere" not in resp.text
            resp = await client.get(f"/patients/{theirs.patient_id}")
            assert resp.status_code == 404, resp.status_code
            listing = await client.get("/appointments", params={"q": "Elsewhere"})
            assert listing.status_code == 200
            assert theirs.id not in listing.text and "5557201" not in listing.text
        # A state change on the other clinic's record is refused too, and changes nothing.
        today = await admin.get("/today")
        cancel = await admin.post(f"/appointments/{theirs.id}/cancel",
                                  data={"csrf_token": csrf_token(today.text)})  # fmt: skip
        assert cancel.status_code == 404, cancel.status_code
    finally:
        await staff.aclose()
        await admin.aclose()
    token = {"Authorization": f"Bearer {stack.admin_api_token}"}  # limited to toronto
    async with httpx.AsyncClient(base_url=stack.admin_url, timeout=10) as api:
        resp = await api.get(f"/api/v1/appointments/{theirs.id}", headers=token)
        assert resp.status_code == 404, resp.status_code
    still = await list_appointments(
        stack.booking_address, ["vancouver"], phone=theirs.patient_phone
    )
    assert [a.status for a in still] == [booking_pb2.APPOINTMENT_STATUS_BOOKED]


async def test_oversize_bodies_to_the_dashboard_are_refused_and_sign_in_nothing(
    bella: Running,
) -> None:
    stack = bella.stack
    async with httpx.AsyncClient(base_url=stack.admin_url, timeout=30) as client:
        form = await client.get("/login")
        for size in (100_000, 5_000_000):
            resp = await client.post(
                "/login",
                data={"email": "staff@toronto.demo", "password": DEMO_PASSWORD + "x" * size,
                      "csrf_token": csrf_token(form.text)},
            )  # fmt: skip
            assert 400 <= resp.status_code < 500, (size, resp.status_code)
        assert (await client.get("/today")).status_code in (302, 303, 401)


async def test_oversize_bodies_to_the_dashboard_get_413_and_a_security_event(
    bella: Running,
) -> None:
    stack = bella.stack
    before = _sink(bella).counter_total("SecurityEvents", "Admin")
    async with httpx.AsyncClient(base_url=stack.admin_url, timeout=30) as client:
        form = await client.get("/login")
        resp = await client.post(
            "/login",
            data={"email": "staff@toronto.demo", "password": "x" * 5_000_000,
                  "csrf_token": csrf_token(form.text)},
        )  # fmt: skip
    assert resp.status_code == 413, resp.status_code
    await eventually(lambda: _sink(bella).counter_total("SecurityEvents", "Admin") > before, 10,
                     "SecurityEvents for the oversize body")  # fmt: skip


# --- schemathesis over the REST API, with a valid token -------------------------------------


def test_admin_api_answers_generated_requests_without_a_server_error(bella: Running) -> None:
    """Every operation in /openapi.json, with schema-valid and schema-breaking requests.

    (schemathesis.pytest.from_fixture reads a node attribute pytest 9 removed, so the
    operations are driven here with hypothesis directly.)
    """
    stack = bella.stack
    schema = schemathesis.openapi.from_url(f"{stack.admin_url}/openapi.json")
    headers = {"Authorization": f"Bearer {stack.admin_api_token}"}
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 4, [op.label for op in operations]
    server_errors: list[str] = []
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def check(case: schemathesis.Case) -> None:
                response = case.call(base_url=stack.admin_url, headers=headers, timeout=10)
                if response.status_code >= 500:
                    server_errors.append(
                        f"{case.method} {case.formatted_path} {case.query} -> "
                        f"{response.status_code} {response.text[:200]}"
                    )

            check()
    assert not server_errors, "\n".join(server_errors[:20])
