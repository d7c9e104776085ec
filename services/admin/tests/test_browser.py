"""The dashboard in headless Chromium (Debian's package, driven by Playwright's Python API).

Screenshots of failing tests land in test-artifacts/admin/.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from admin_testkit import PASSWORD, ZONE, make_settings
from bella_admin.app import AdminDeps, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "admin"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
async def server(database_url, redis_url, backends, admin_telemetry) -> AsyncIterator[str]:
    """The real app on uvicorn, port 0, in this event loop."""
    import uvicorn

    settings = make_settings(database_url, redis_url, backends, admin_lockout_ip_failures=20,
                             admin_trust_proxy=False)
    deps = await AdminDeps.open(settings, admin_telemetry)
    app = create_app(settings, deps)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False,
                            lifespan="off")
    uv = uvicorn.Server(config)
    task = asyncio.create_task(uv.serve())
    while not uv.started:  # noqa: ASYNC110 - uvicorn offers no started event
        await asyncio.sleep(0.05)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    await deps.close()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                            args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser, server, request):  # type: ignore[no-untyped-def]
    context = await browser.new_context(base_url=server, accept_downloads=True)
    context.set_default_timeout(15000)
    pg = await context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    await context.close()
    # A CSP violation would show up here (the page has no inline script or style to refuse).
    assert not [e for e in errors if "Content Security Policy" in e], errors


async def sign_in(page, email: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    await page.goto("/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def test_refused_without_a_session(page) -> None:
    await page.goto("/patients")
    assert re.search(r"/login\?next=%2Fpatients$", page.url)
    assert await page.get_by_role("heading", name="Sign in to Bella").is_visible()


async def test_sign_in_and_find_a_patient(page, make_user, world) -> None:
    await sign_in(page, await make_user("staff"))
    await page.wait_for_url("**/today")
    assert await page.get_by_role("heading", name=re.compile("^Today")).is_visible()
    await page.get_by_label("Find a patient").fill("Tremblay")
    await page.get_by_label("Find a patient").press("Enter")
    await page.get_by_role("link", name="Amelia Tremblay").click()
    await page.get_by_role("heading", name=re.compile("Amelia Tremblay")).wait_for()
    assert await page.get_by_role("cell", name="checkup").first.is_visible()


async def test_reschedule(page, make_user, world) -> None:
    appt = world.future[2]
    await sign_in(page, await make_user("staff"))
    await page.wait_for_url("**/today")
    await page.goto(f"/appointments/{appt.id}")
    day = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=4)).date().isoformat()
    await page.get_by_label("Day").fill(day)
    await page.get_by_role("button", name="Find times").click()
    first_slot = page.locator('input[name="slot"]').first
    await first_slot.check()
    await page.get_by_role("button", name="Reschedule", exact=True).click()
    flash = page.locator(".flash")
    await flash.wait_for()
    assert (await flash.inner_text()).startswith("Rescheduled to")


async def test_export_appointments_csv(page, make_user, world, tmp_path) -> None:
    await sign_in(page, await make_user("staff"))
    await page.wait_for_url("**/today")
    await page.goto("/export")
    async with page.expect_download() as info:
        await page.get_by_role("button", name="Download appointments").click()
    download = await info.value
    assert download.suggested_filename.endswith(".csv")
    target = tmp_path / "export.csv"
    await download.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("id,start,end,patient_name,phone")


async def test_see_a_transcript(page, make_user, world) -> None:
    await sign_in(page, await make_user("staff"))
    await page.wait_for_url("**/today")
    await page.goto("/calls?outcome=booked")
    await page.locator("tbody a").first.click()
    await page.get_by_role("heading", name="Transcript").wait_for()
    assert await page.get_by_text("I'd like to book a cleaning").is_visible()
    trace = page.locator("a.trace")
    assert "#xray:traces/1-" in (await trace.get_attribute("href") or "")


async def test_locked_out_after_repeated_failures(page, make_user) -> None:
    email = await make_user("staff")
    for _ in range(5):
        await sign_in(page, email, "wrong " + uuid.uuid4().hex)
    assert await page.get_by_text("Too many failed sign-ins").is_visible()
    await sign_in(page, email)
    assert await page.get_by_text("Too many failed sign-ins").is_visible()
    assert "/login" in page.url
