"""The REST API: bearer tokens, roles, clinic scoping, shapes and errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from admin_testkit import CLINIC, OTHER, ZONE, csrf_of

ENV_TOKEN = {"Authorization": "Bearer automation-token-" + "x" * 32}


@pytest.fixture
async def staff_token(admin_deps) -> dict[str, str]:  # type: ignore[no-untyped-def]
    secret, _ = await admin_deps.tokens.create(clinic_id=CLINIC, name="t", role="staff",
                                               created_by=None)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
async def admin_token(admin_deps) -> dict[str, str]:  # type: ignore[no-untyped-def]
    secret, _ = await admin_deps.tokens.create(clinic_id=CLINIC, name="a", role="admin",
                                               created_by=None)
    return {"Authorization": f"Bearer {secret}"}


async def test_no_or_bad_token_is_401(client) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        resp = await client.get("/api/v1/calls", headers=headers)
        assert resp.status_code == 401
        assert resp.json()["error"]["code"] == "unauthorized"


async def test_appointments_by_phone_with_iso_times_in_clinic_zone(client, world,
                                                                   staff_token) -> None:
    today = datetime.now(ZoneInfo(ZONE)).date().isoformat()
    resp = await client.get("/api/v1/appointments", headers=staff_token, params={
        "phone": "(416) 555-0102", "date_from": today, "date_to": today, "status": "booked"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert set(item) == {"id", "patient_name", "phone", "service", "start", "end", "status",
                         "chair"}
    assert item["patient_name"] == "Noah Gagnon" and item["phone"] == "+14165550102"
    assert item["chair"] == "Dr. Singh" and item["status"] == "booked"
    start = datetime.fromisoformat(item["start"])
    assert start.utcoffset() == datetime.now(ZoneInfo(ZONE)).utcoffset()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT10:00:00-0[45]:00", item["start"])
    assert datetime.fromisoformat(item["end"]) - start == timedelta(minutes=30)


async def test_env_token_reads_its_clinic_only(client, world) -> None:
    resp = await client.get("/api/v1/appointments", headers=ENV_TOKEN)
    names = {i["patient_name"] for i in resp.json()["items"]}
    assert "Amelia Tremblay" in names and "Vera Elsewhere" not in names
    other = await client.get(f"/api/v1/calls/{world.other_call_id}", headers=ENV_TOKEN)
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("params", "parameter"), [
    ({"date_from": "yesterday"}, "date_from"),
    ({"status": "maybe"}, "status"),
    ({"phone": "not a phone"}, "phone"),
    ({"page_size": "0"}, "page_size"),
    ({"date_from": "2026-02-02", "date_to": "2026-02-01"}, "date_to"),
])
async def test_bad_parameters_are_422_with_a_clear_message(client, staff_token, params,
                                                           parameter) -> None:
    resp = await client.get("/api/v1/appointments", headers=staff_token, params=params)
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["code"] == "invalid_parameter" and parameter in error["message"]


async def test_calls_list_and_detail_with_transcript(client, world, staff_token,
                                                     admin_deps) -> None:
    listing = await client.get("/api/v1/calls", headers=staff_token,
                               params={"outcome": "transferred"})
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [i["outcome"] for i in items] == ["transferred"] * len(items) and items
    assert items[0]["duration_seconds"] == 95 and items[0]["turns"] == 2
    sid = world.call_ids["booked"]
    detail = await client.get(f"/api/v1/calls/{sid}", headers=staff_token)
    assert detail.status_code == 200
    call = detail.json()
    assert call["trace_id"] == "1-5f84c7a1-3b9c7d2e4f5a6b7c8d9e0f1a"
    turn = call["transcript"][1]
    assert turn["caller_text"] == "I'd like to book a cleaning"
    assert turn["understood"] == {"intent": "book", "service": "cleaning"}
    assert turn["latency_ms"] == 420
    entries = await admin_deps.audit.page(CLINIC, action="call.transcript.view")
    assert any(e.actor.startswith("token:bella_") for e in entries)
    live = await client.get("/api/v1/calls", headers=staff_token,
                            params={"outcome": "in_progress"})
    assert all(i["in_progress"] for i in live.json()["items"]) and live.json()["items"]


async def test_kpis(client, world, staff_token) -> None:
    resp = await client.get("/api/v1/kpis", headers=staff_token)
    assert resp.status_code == 200
    k = resp.json()
    assert k["calls"] >= 2 and k["bookings"] >= 1 and k["transfers"] >= 1
    assert 0 <= k["conversion_rate"] <= 1 and k["avg_turn_latency_ms"] > 0
    assert len(k["days"]) >= 1
    day = (datetime.now(UTC) - timedelta(hours=1)).astimezone(ZoneInfo(ZONE)).date()
    that_day = next(d for d in k["days"] if d["date"] == day.isoformat())
    assert that_day["avg_turn_latency_ms"] == 210.0  # a 0 ms greeting and a 420 ms turn, twice
    assert that_day["avg_understanding_confidence"] == 0.87
    bad = await client.get("/api/v1/kpis", headers=staff_token,
                           params={"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert bad.status_code == 422


async def test_audit_endpoint_needs_an_admin_token(client, staff_token, admin_token) -> None:
    refused = await client.get("/api/v1/audit", headers=staff_token)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    env = await client.get("/api/v1/audit", headers=ENV_TOKEN)
    assert env.status_code == 403  # the automation token is read-only staff
    allowed = await client.get("/api/v1/audit", headers=admin_token)
    assert allowed.status_code == 200 and isinstance(allowed.json()["items"], list)


async def test_revoked_tokens_stop_working(client, admin_deps) -> None:
    secret, row = await admin_deps.tokens.create(clinic_id=CLINIC, name="r", role="staff",
                                                 created_by=None)
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/kpis", headers=headers)).status_code == 200
    assert not await admin_deps.tokens.revoke(OTHER, row.id)  # not another clinic's admin
    assert await admin_deps.tokens.revoke(CLINIC, row.id)
    assert (await client.get("/api/v1/kpis", headers=headers)).status_code == 401


async def test_openapi_is_documented_at_docs(client) -> None:
    spec = (await client.get("/openapi.json")).json()
    paths = set(spec["paths"])
    assert {"/api/v1/appointments", "/api/v1/calls", "/api/v1/calls/{call_id}",
            "/api/v1/kpis", "/api/v1/audit"} <= paths
    assert not any(p.startswith(("/login", "/today")) for p in paths)
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/appointments" in docs.text
    assert "<script" not in docs.text


async def test_a_page_token_booking_did_not_issue_is_422(client, staff_token) -> None:
    resp = await client.get("/api/v1/appointments", headers=staff_token,
                            params={"page_token": "not-a-token-we-issued"})
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"]["code"] == "invalid_parameter"


async def test_oversize_bodies_are_refused_unread(client, admin_metric_reader) -> None:
    page = await client.get("/login")
    resp = await client.post("/login", data={
        "email": "x@y.test", "password": "x" * 200_000, "csrf_token": csrf_of(page.text)})
    assert resp.status_code == 413
    assert resp.headers["content-security-policy"].startswith("default-src 'self'")
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(3):  # no Content-Length: counted as it arrives
            yield b"a" * 50_000

    streamed = await client.post("/login", content=chunks(),
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413
