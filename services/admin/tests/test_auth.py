"""Sign-in, sessions, lock-out, CSRF, roles and security headers over the real app."""

from __future__ import annotations

import hashlib
import json
import time

import pyotp
from admin_testkit import CLINIC, PASSWORD, csrf_of, login, post_form
from bella_admin.sessions import _key


async def test_pages_refuse_without_a_session(client, world) -> None:
    resp = await client.get("/appointments?status=booked")
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=%2Fappointments%3Fstatus%3Dbooked"
    api = await client.get("/api/v1/appointments")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "unauthorized"
    assert api.headers["www-authenticate"].startswith("Bearer")


async def test_login_rotates_the_session_and_sets_a_locked_down_cookie(client, make_user) -> None:
    email = await make_user()
    page = await client.get("/login")
    anonymous = client.cookies.get("bella_session")
    assert anonymous
    resp = await client.post("/login", data={
        "email": email.upper(), "password": PASSWORD, "csrf_token": csrf_of(page.text),
        "next": "/calls"})
    assert resp.status_code == 303 and resp.headers["location"] == "/calls"
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "Domain" not in cookie
    signed_in = client.cookies.get("bella_session")
    assert signed_in and signed_in != anonymous  # a new id at sign-in (no fixation)
    assert len(signed_in) >= 43  # 256 bits, url-safe base64
    assert (await client.get("/today")).status_code == 200


async def test_https_setting_uses_host_prefixed_secure_cookie_and_hsts(
    database_url, redis_url, backends, admin_telemetry, make_user
) -> None:
    import httpx
    from admin_testkit import make_settings
    from bella_admin.app import AdminDeps, create_app

    settings = make_settings(database_url, redis_url, backends, admin_https=True)
    deps = await AdminDeps.open(settings, admin_telemetry)
    try:
        app = create_app(settings, deps)
        transport = httpx.ASGITransport(app=app, client=("10.0.0.9", 1))
        async with httpx.AsyncClient(transport=transport, base_url="https://admin.test") as c:
            page = await c.get("/login")
            assert "__Host-bella_session=" in page.headers["set-cookie"]
            assert "Secure" in page.headers["set-cookie"]
            assert page.headers["strict-transport-security"].startswith("max-age=31536000")
            email = await make_user()
            resp = await c.post("/login", data={"email": email, "password": PASSWORD,
                                                "csrf_token": csrf_of(page.text)})
            assert resp.status_code == 303
            assert (await c.get("/today")).status_code == 200
    finally:
        await deps.close()


async def test_wrong_password_is_refused_with_one_message(client, make_user) -> None:
    email = await make_user()
    bad = await login(client, email, "not the password at all", ip="10.1.0.1")
    unknown = await login(client, "nobody@nowhere.test", "not the password at all",
                          ip="10.1.0.1")
    assert bad.status_code == unknown.status_code == 401
    assert "Wrong email or password." in bad.text and "Wrong email or password." in unknown.text


async def test_five_failures_lock_the_account_even_for_the_right_password(
    client, make_user, admin_deps
) -> None:
    email = await make_user()
    for i in range(5):
        resp = await login(client, email, f"wrong password {i}", ip=f"10.2.0.{i}")
    assert resp.status_code == 429 and "Too many failed sign-ins" in resp.text
    again = await login(client, email, PASSWORD, ip="10.2.1.1")
    assert again.status_code == 429
    user = await admin_deps.users.by_email(email)
    assert user.failed_count == 5 and user.locked_until is not None
    entries = await admin_deps.audit.page(CLINIC, action="login.locked")
    assert any(e.target_id == user.id and e.client_ip == "10.2.0.4" for e in entries)
    # An admin unlocks it.
    await admin_deps.users.unlock(user.id)
    assert (await login(client, email, PASSWORD, ip="10.2.1.2")).status_code == 303


async def test_many_failures_from_one_address_lock_that_address(client, make_user) -> None:
    limit = 8  # admin_lockout_ip_failures in the test settings
    for i in range(limit):
        await login(client, f"guess{i}@nowhere.test", "wrong password", ip="10.3.0.1")
    email = await make_user()
    assert (await login(client, email, PASSWORD, ip="10.3.0.1")).status_code == 429
    assert (await login(client, email, PASSWORD, ip="10.3.0.2")).status_code == 303


async def test_logout_ends_the_session_on_the_server(client, make_user) -> None:
    email = await make_user()
    await login(client, email)
    stolen = client.cookies.get("bella_session")
    resp = await post_form(client, "/today", "/logout")
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    client.cookies.set("bella_session", stolen)
    assert (await client.get("/today")).status_code == 303


async def test_sessions_expire_after_the_absolute_lifetime(client, make_user, admin_deps) -> None:
    email = await make_user()
    await login(client, email)
    sid = client.cookies.get("bella_session")
    raw = json.loads(await admin_deps.redis.get(_key(sid)))
    raw["created"] = time.time() - 13 * 3600
    await admin_deps.redis.set(_key(sid), json.dumps(raw), ex=60)
    resp = await client.get("/today")
    assert resp.status_code == 303 and "expired=1" in resp.headers["location"]
    assert await admin_deps.redis.get(_key(sid)) is None


async def test_idle_sessions_expire_with_their_redis_ttl(client, make_user, admin_deps) -> None:
    email = await make_user()
    await login(client, email)
    sid = client.cookies.get("bella_session")
    ttl = await admin_deps.redis.ttl(_key(sid))
    assert 29 * 60 < ttl <= 30 * 60  # the idle timeout
    await admin_deps.redis.delete(_key(sid))  # what Redis does when the TTL runs out
    assert (await client.get("/today")).status_code == 303
    # The id in Redis is a hash: the cookie value itself is never stored.
    assert hashlib.sha256(sid.encode()).hexdigest() in _key(sid)


async def test_forms_without_the_csrf_token_change_nothing(client, make_user, world,
                                                           admin_deps) -> None:
    email = await make_user()
    await login(client, email)
    appt = world.future[1]
    resp = await client.post(f"/appointments/{appt.id}/cancel", data={"reason": "x"})
    assert resp.status_code == 403 and "Form expired" in resp.text
    resp = await client.post(f"/appointments/{appt.id}/cancel",
                             data={"reason": "x", "csrf_token": "forged"})
    assert resp.status_code == 403
    still = await admin_deps.backends.booking.get_appointment(CLINIC, appt.id)
    assert still.status == 1  # booked
    # No state change on GET: the logout and cancel endpoints refuse it.
    assert (await client.get("/logout")).status_code == 405
    assert (await client.get(f"/appointments/{appt.id}/cancel")).status_code == 405


async def test_login_form_itself_needs_its_csrf_token(client, make_user) -> None:
    email = await make_user()
    await client.get("/login")
    resp = await client.post("/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code == 403


async def test_staff_cannot_reach_admin_pages_and_the_refusal_is_audited(
    client, make_user, admin_deps
) -> None:
    email = await make_user("staff")
    await login(client, email)
    for path in ("/users", "/audit", "/tokens"):
        resp = await client.get(path)
        assert resp.status_code == 403
    denied = await admin_deps.audit.page(CLINIC, action="access.denied")
    assert any(e.actor == email and e.target_id == "/tokens" for e in denied)


async def test_security_headers_on_every_response(client, make_user) -> None:
    for resp in (await client.get("/login"), await client.get("/nowhere"),
                 await client.get("/api/v1/calls")):
        csp = resp.headers["content-security-policy"]
        for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'"):
            assert part in csp
        assert "unsafe-inline" not in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"] == "same-origin"
        assert resp.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in resp.headers  # plain http here
    static = await client.get("/static/admin.css")
    assert static.status_code == 200 and "no-store" not in static.headers["cache-control"]


async def test_no_inline_script_in_any_page(client, make_user, world) -> None:
    email = await make_user("admin")
    await login(client, email)
    for path in ("/today", "/appointments", "/patients", "/calls", "/kpis", "/export",
                 "/audit", "/users", "/tokens", "/account", "/docs"):
        resp = await client.get(path)
        assert resp.status_code == 200, path
        assert "<script" not in resp.text and "style=" not in resp.text and " on" + "click" \
            not in resp.text, path


async def test_totp_second_factor(client, make_user, admin_deps) -> None:
    email = await make_user("admin")
    await login(client, email)
    enrol = await client.get("/account/totp")
    secret = enrol.text.split('class="totp-secret">')[1].split("<")[0]
    wrong = await client.post("/account/totp", data={
        "code": "000000", "current": PASSWORD, "csrf_token": csrf_of(enrol.text)})
    assert wrong.status_code == 422
    no_password = await client.post("/account/totp", data={
        "code": pyotp.TOTP(secret).now(), "current": "not my password",
        "csrf_token": csrf_of(enrol.text)})
    assert no_password.status_code == 422 and "password did not match" in no_password.text
    ok = await client.post("/account/totp", data={
        "code": pyotp.TOTP(secret).now(), "current": PASSWORD,
        "csrf_token": csrf_of(enrol.text)})
    assert ok.status_code == 303
    await post_form(client, "/today", "/logout")

    resp = await login(client, email)
    assert resp.headers["location"].startswith("/login/totp")
    # Password alone gives no access to anything.
    assert (await client.get("/today")).headers["location"] == "/login/totp"
    form = await client.get("/login/totp")
    bad = await client.post("/login/totp", data={"code": "123456",
                                                 "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 401
    # Enrolment used up the current time step; the next step's code is within the ±1 window.
    user = await admin_deps.users.by_email(email)
    code = pyotp.TOTP(secret).at((user.totp_last_step + 1) * 30)
    good = await client.post("/login/totp", data={"code": code,
                                                  "csrf_token": csrf_of(form.text)})
    assert good.status_code == 303
    assert (await client.get("/today")).status_code == 200
    # The same code again (another sign-in) is refused: no replay.
    await post_form(client, "/today", "/logout")
    await login(client, email)
    form = await client.get("/login/totp")
    replay = await client.post("/login/totp", data={"code": code,
                                                    "csrf_token": csrf_of(form.text)})
    assert replay.status_code == 401


async def test_reset_password_forces_a_change_and_ends_sessions(
    client, make_user, app
) -> None:
    import httpx

    admin = await make_user("admin")
    staff = await make_user("staff")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40001))
    async with httpx.AsyncClient(transport=transport, base_url="http://admin.test") as other:
        await login(other, staff)
        assert (await other.get("/today")).status_code == 200
        await login(client, admin)
        users = await client.get("/users")
        user_id = users.text.split(staff)[1].split("/users/")[1].split("/")[0]
        reset = await client.post(f"/users/{user_id}/reset",
                                  data={"csrf_token": csrf_of(users.text)})
        temporary = reset.text.split('class="temporary-password">')[1].split("<")[0]
        assert (await other.get("/today")).status_code == 303  # their session ended
        resp = await login(other, staff, temporary)
        assert resp.headers["location"] == "/account/password"
        assert (await other.get("/calls")).headers["location"] == "/account/password"
        form = await other.get("/account/password")
        weak = await other.post("/account/password", data={
            "current": temporary, "new": "short", "confirm": "short",
            "csrf_token": csrf_of(form.text)})
        assert weak.status_code == 422 and "at least 12" in weak.text
        done = await other.post("/account/password", data={
            "current": temporary, "new": "a brand new passphrase", "confirm":
            "a brand new passphrase", "csrf_token": csrf_of(form.text)})
        assert done.status_code == 303
        assert (await other.get("/calls")).status_code == 200


async def test_login_metrics_and_security_events_are_counted(
    client, make_user, admin_metric_reader
) -> None:
    email = await make_user()
    await login(client, email, "wrong wrong wrong", ip="10.9.0.1")
    await login(client, email, ip="10.9.0.1")
    await client.post("/logout", data={"csrf_token": "forged"})
    data = admin_metric_reader.get_metrics_data()
    seen: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                for point in metric.data.data_points:
                    seen.setdefault(metric.name, set()).update(
                        str(v) for v in point.attributes.values())
                    keys.setdefault(metric.name, set()).update(point.attributes)
    assert {"success", "failure"} <= seen["AdminLoginCount"]
    assert "csrf_rejected" in seen["SecurityEvents"]
    for name in ("RequestCount", "ResponseTime", "ErrorRate", "DashboardLoadTime",
                 "SystemHealth"):
        assert name in seen, name
    # The attributes otel/metrics.yaml declares for these metrics.
    assert keys["RequestCount"] == keys["ResponseTime"] == {"operation", "outcome"}
    assert keys["ErrorRate"] == keys["DashboardLoadTime"] == {"operation"}
    assert keys["AdminLoginCount"] == {"outcome"}
    assert "operation" in keys["SecurityEvents"]
    flat = " ".join(v for values in seen.values() for v in values)
    assert email not in flat and "10.9.0.1" not in flat
