"""Faults in voice's dependencies, injected while calls are in progress.

The stack runs as separate processes; voice reaches NLP and booking through
a latency proxy of the test's own, so a dependency can be slowed, hung or
killed without touching voice. Each test asserts what callers hear (the
<Say> text of the TwiML) and what is kept (call-backs, bookings).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.load.admin_web import DEMO_PASSWORD, login
from tests.load.correctness import list_appointments
from tests.load.flows import Kind
from tests.load.generator import LoadReport, run_load
from tests.load.harness import Running
from tests.load.records import list_callbacks
from tests.load.scripted import converse_until, eventually, persona, place_call
from tests.load.twilio_caller import TwilioCaller, parse_twiml

pytestmark = pytest.mark.timeout(240)

WEBHOOK_BUDGET = 2.0  # seconds: every webhook answers within this, whatever is down


@pytest.fixture
def running(bella: Running) -> Running:
    return bella


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as c:
        yield c


def _background_load(running: Running, seed: int) -> tuple[asyncio.Task[LoadReport], LoadReport,
                                                           asyncio.Event]:  # fmt: skip
    report = LoadReport(concurrency_target=6)
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_load(
            running.stack.voice_url, running.stack.auth_token,
            concurrency=6, duration=120, think=(0.05, 0.25), ramp=0.5,
            mix={Kind.BOOK: 0.6, Kind.INFO: 0.2, Kind.GARBAGE: 0.2},
            seed=seed, report=report, stop=stop,
        )
    )  # fmt: skip
    return task, report, stop


async def _recovered_booking(client: httpx.AsyncClient, running: Running) -> bool:
    result = await place_call(client, running.stack, persona())
    return result.heard_booked and not result.heard_keypad and not result.heard_callback


def _assert_clean(report: LoadReport) -> None:
    print(report.summary())  # figures for tests/RELIABILITY.md (pytest -s)
    assert report.errors == [], report.summary()
    slowest = max(report.latencies, default=0.0)
    assert slowest < WEBHOOK_BUDGET, f"a webhook took {slowest:.2f}s"


async def test_nlp_killed_calls_continue_on_the_keypad_then_recover(
    running: Running, client: httpx.AsyncClient
) -> None:
    stack = running.stack
    task, report, stop = _background_load(running, seed=11)
    try:
        await eventually(lambda: report.turns >= 20, 30, "the load to get going")
        stack.kill("nlp")
        killed = time.monotonic()

        # A caller who rings now is offered the keypad menu and can leave a call-back.
        caller = persona(Kind.BOOK)
        during = await place_call(client, stack, caller)
        assert during.errors == []
        assert during.heard_keypad, during.bella_texts
        assert any("Press 1 to book" in t for t in during.bella_texts), during.bella_texts
        assert during.heard_callback, during.bella_texts
        assert not during.heard_booked
        await eventually(
            lambda: any(r.heard_keypad for r in report.since(killed)), 20,
            "background callers to reach the keypad menu",
        )  # fmt: skip

        await stack.restart("nlp")
        # Understanding comes back by itself (voice's breaker closes again): speech works.
        await eventually(lambda: _recovered_booking(client, running), 45,
                         "a booking by speech after NLP restarted", interval=0.5)  # fmt: skip
    finally:
        stop.set()
        await task
    _assert_clean(report)
    callbacks = await list_callbacks(stack.voice_grpc_address, "toronto")
    kept = [c for c in callbacks if c.phone == caller.phone]
    assert len(kept) == 1, [(c.name, c.phone) for c in callbacks]
    assert kept[0].name == caller.name
    assert "book" in kept[0].reason


async def test_booking_killed_callers_are_offered_a_call_back_and_details_are_kept(
    running: Running, client: httpx.AsyncClient
) -> None:
    stack = running.stack
    task, report, stop = _background_load(running, seed=12)
    # One caller is mid-conversation (name given) when booking dies.
    mid = persona(Kind.BOOK)
    mid_caller = TwilioCaller(client, stack.voice_url, stack.auth_token, from_number=mid.phone)
    try:
        await eventually(lambda: report.turns >= 20, 30, "the load to get going")
        await converse_until(mid_caller, mid, r"what day and time|when")
        stack.kill("booking")

        # The mid-call caller tells Bella when: she cannot look, so she offers a call-back.
        answer = await mid_caller.say(f"{mid.day} at {mid.time}")
        assert answer.status == 200
        assert answer.latency < WEBHOOK_BUDGET
        assert "booking system isn't responding" in answer.text, answer.text
        for _ in range(4):  # "Is the number ending … the best one?" - "Yes"
            if answer.gather_action is None:
                break
            answer = await mid_caller.say("Yes")
        assert "call you back" in answer.text, answer.text
        assert answer.hangup

        # A caller ringing while booking is down is looked after the same way.
        late = persona(Kind.BOOK)
        after = await place_call(client, stack, late)
        assert after.errors == []
        assert after.heard_callback, after.bella_texts
        assert not after.heard_booked

        await stack.restart("booking")
        await eventually(lambda: _recovered_booking(client, running), 45,
                         "a booking after booking restarted", interval=0.5)  # fmt: skip
    finally:
        stop.set()
        await task
    _assert_clean(report)
    callbacks = {c.phone: c for c in await list_callbacks(stack.voice_grpc_address, "toronto")}
    for who in (mid, late):
        assert who.phone in callbacks, f"no call-back kept for {who.name}"
        assert callbacks[who.phone].name == who.name
        assert "book" in callbacks[who.phone].reason
        assert not callbacks[who.phone].resolved
    # Nothing was booked for them behind their backs.
    for who in (mid, late):
        assert await list_appointments(stack.booking_address, ["toronto"], phone=who.phone) == []
    # And the front desk sees them waiting on the dashboard's Today page.
    async with httpx.AsyncClient(base_url=stack.admin_url, timeout=10) as staff:
        signed_in = await login(staff, "staff@toronto.demo", DEMO_PASSWORD)
        assert signed_in.status_code == 303
        today = await staff.get("/today")
        assert today.status_code == 200
        waiting = today.text[today.text.find("Call-backs waiting"):]
        for who in (mid, late):
            assert who.name in waiting, f"{who.name} not on the Today page"


async def test_slow_or_hung_dependencies_never_hold_a_webhook_past_two_seconds(
    running: Running, client: httpx.AsyncClient
) -> None:
    nlp, booking = running.nlp_proxy, running.booking_proxy
    assert nlp is not None and booking is not None
    try:
        # A little latency (a busy network) changes nothing for the caller.
        nlp.delay = booking.delay = 0.05
        ok = await place_call(client, running.stack, persona())
        assert ok.heard_booked, ok.bella_texts
        assert ok.max_latency < WEBHOOK_BUDGET

        # Booking far slower than voice's deadline: call-back offered, in time.
        nlp.delay, booking.delay = 0.0, 3.0
        slow_booking = await asyncio.gather(
            *(place_call(client, running.stack, persona()) for _ in range(3))
        )
        for r in slow_booking:
            assert r.errors == [] and r.max_latency < WEBHOOK_BUDGET, (r.errors, r.max_latency)
            assert r.heard_callback and not r.heard_booked, r.bella_texts

        # NLP hung (packets go nowhere) and booking slow: keypad menu, still in time.
        nlp.blackhole, booking.delay = True, 3.0
        hung = await asyncio.gather(
            *(place_call(client, running.stack, persona()) for _ in range(3))
        )
        for r in hung:
            assert r.errors == [] and r.max_latency < WEBHOOK_BUDGET, (r.errors, r.max_latency)
            assert r.heard_keypad, r.bella_texts
        print("slowest turn: booking 3 s late "
              f"{max(r.max_latency for r in slow_booking):.2f}s, NLP hung + booking late "
              f"{max(r.max_latency for r in hung):.2f}s")  # fmt: skip
    finally:
        nlp.blackhole = False
        nlp.delay = booking.delay = 0.0
        nlp.drop_connections()
        booking.drop_connections()
    await eventually(lambda: _recovered_booking(client, running), 45,
                     "a booking once the dependencies are quick again", interval=0.5)  # fmt: skip


async def test_twilio_retrying_the_same_webhook_concurrently_has_one_effect(
    running: Running, client: httpx.AsyncClient
) -> None:
    stack = running.stack
    who = persona(Kind.BOOK)
    caller = TwilioCaller(client, stack.voice_url, stack.auth_token, from_number=who.phone)

    # The first request of the call, delivered five times at once.
    ring_params = caller.params("ringing")
    rings = await asyncio.gather(
        *(caller.post_raw(f"{stack.voice_url}/twilio/voice", ring_params) for _ in range(5))
    )
    assert {r.status_code for r in rings} == {200}
    greetings = set()
    for r in rings:
        answer = parse_twiml(f"{stack.voice_url}/twilio/voice", 200, 0.0, r.text)
        if answer.redirect is not None and not answer.says:
            # Told to come back while the first ring was still being answered.
            answer = await caller.post(answer.redirect, ring_params)
        greetings.add(answer.text)
    assert len(greetings) == 1, greetings
    assert "How can I help" in greetings.pop()

    confirm = await converse_until(caller, who, r"shall i book")
    assert confirm.gather_action is not None
    params = caller.params(SpeechResult="Yes please", Confidence="0.93")
    retries = await asyncio.gather(
        *(caller.post_raw(confirm.gather_action, params) for _ in range(6))
    )
    assert {r.status_code for r in retries} == {200}
    # A duplicate that arrives while the first is still booking may be told to come back
    # (<Pause/><Redirect> to the same turn); coming back gives it the first one's answer.
    bodies = set()
    for r in retries:
        answer = parse_twiml(confirm.gather_action, 200, 0.0, r.text)
        if answer.redirect is not None and not answer.says:
            assert answer.redirect == confirm.gather_action, answer.redirect
            answer = await caller.post(answer.redirect, params)
        bodies.add(answer.body)
    assert len(bodies) == 1, bodies
    canonical = bodies.pop()
    assert "all set" in canonical
    appointments = await list_appointments(stack.booking_address, ["toronto"], phone=who.phone)
    assert len(appointments) == 1, appointments

    # A late retry of the same turn, after the fact, replays the answer and books nothing more.
    late = await caller.post_raw(confirm.gather_action, params)
    assert late.status_code == 200 and late.text == canonical
    again = await list_appointments(stack.booking_address, ["toronto"], phone=who.phone)
    assert [a.id for a in again] == [appointments[0].id]
