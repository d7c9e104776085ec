"""PostgreSQL and Redis restarted under the running stack.

This module starts its own PostgreSQL (pgserver) and Redis (redis-server)
so it can stop and start them; the machine's shared servers are never
touched. The services are not restarted: they must reconnect by themselves.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.load.correctness import check_bookings, list_appointments
from tests.load.flows import Kind, reply
from tests.load.generator import LoadReport, run_load
from tests.load.harness import Running
from tests.load.records import list_callbacks, list_calls
from tests.load.scripted import converse_until, eventually, persona, place_call
from tests.load.twilio_caller import TwilioCaller, TwimlError, parse_twiml

pytestmark = pytest.mark.timeout(240)

WEBHOOK_BUDGET = 2.0


@pytest.fixture
def running(bella: Running) -> Running:
    return bella


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as c:
        yield c


async def _booked_by_speech(client: httpx.AsyncClient, running: Running) -> bool:
    result = await place_call(client, running.stack, persona())
    return result.heard_booked


def _pids(running: Running) -> dict[str, int]:
    return {n: s.proc.pid for n, s in running.stack.services.items() if s.proc is not None}


def _same_processes(running: Running, before: dict[str, int]) -> None:
    """Nobody restarted anything: every service reconnected by itself."""
    for name, svc in running.stack.services.items():
        assert svc.running, f"{name} died:\n{svc.tail()}"
    assert _pids(running) == before, "a service was restarted"


async def test_postgres_restart_fails_in_flight_cleanly_and_services_reconnect(
    running: Running, client: httpx.AsyncClient
) -> None:
    stack, pg = running.stack, running.infra.postgres
    assert pg is not None
    pids = _pids(running)
    report = LoadReport(concurrency_target=8)
    stop = asyncio.Event()
    load = asyncio.create_task(
        run_load(stack.voice_url, stack.auth_token, concurrency=8, duration=120,
                 think=(0.05, 0.25), ramp=0.5, mix={Kind.BOOK: 0.8, Kind.INFO: 0.2},
                 seed=21, report=report, stop=stop)
    )  # fmt: skip
    try:
        await eventually(lambda: report.turns >= 30, 30, "the load to get going")
        await asyncio.to_thread(pg.stop)
        down_at = time.monotonic()
        # A caller who wants to book now cannot be booked: Bella takes a call-back instead,
        # which is parked in Redis until PostgreSQL is back.
        during = await place_call(client, stack, persona(Kind.BOOK))
        assert during.errors == [] and during.max_latency < WEBHOOK_BUDGET
        assert during.heard_callback and not during.heard_booked, during.bella_texts
        # Calls keep being answered while the database is away.
        await eventually(lambda: len(report.since(down_at)) >= 3, 20,
                         "calls answered while PostgreSQL is down")  # fmt: skip
        await asyncio.to_thread(pg.start)
        await eventually(lambda: _booked_by_speech(client, running), 60,
                         "a booking once PostgreSQL is back", interval=0.5)  # fmt: skip
    finally:
        stop.set()
        await load
    assert report.errors == [], report.summary()
    assert max(report.latencies) < WEBHOOK_BUDGET
    _same_processes(running, pids)
    for url in (f"{stack.voice_url}/readyz", f"{stack.admin_url}/readyz"):
        assert (await client.get(url)).status_code == 200

    # No half-written booking: each is whole, each confirmed one is there exactly once.
    appts = await list_appointments(stack.booking_address)
    for a in appts:
        assert a.patient_id and a.patient_name and a.patient_phone and a.chair_id, a
        assert a.end.ToDatetime() > a.start.ToDatetime()
    correctness = check_bookings(report.results, appts, allow_unconfirmed=True)
    assert correctness.ok, correctness.summary()
    print(report.summary())
    print(correctness.summary())

    # The call-back taken while the database was down reached staff once it was back.
    async def kept() -> bool:
        callbacks = await list_callbacks(stack.voice_grpc_address, "toronto")
        return [c.name for c in callbacks if c.phone == during.persona.phone] == [
            during.persona.name
        ]

    await eventually(kept, 30, "the parked call-back to reach the call records")


async def test_redis_restart_loses_no_call_silently(
    running: Running, client: httpx.AsyncClient
) -> None:
    """Redis holds each call's conversation state (no persistence here: a restart empties it).

    A caller whose state vanished mid-call is not dropped: Bella says she lost
    track and asks again; the call's record (PostgreSQL) stays listed.
    """
    stack, redis = running.stack, running.infra.redis
    assert redis is not None
    pids = _pids(running)
    callers = []
    for _ in range(3):
        who = persona(Kind.BOOK)
        caller = TwilioCaller(client, stack.voice_url, stack.auth_token, from_number=who.phone)
        await converse_until(caller, who, r"what day and time|when")
        callers.append((who, caller))

    await asyncio.to_thread(redis.stop)
    # While Redis is down a new call still gets an answer in time (valid TwiML, no 5xx).
    down_caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                               from_number=persona().phone)  # fmt: skip
    t0 = time.perf_counter()
    resp = await down_caller.post_raw(f"{stack.voice_url}/twilio/voice",
                                      down_caller.params("ringing"))  # fmt: skip
    assert time.perf_counter() - t0 < WEBHOOK_BUDGET
    assert resp.status_code == 200, resp.text
    try:
        down_answer = parse_twiml(str(resp.url), 200, 0.0, resp.text)
    except TwimlError as exc:
        raise AssertionError(f"invalid TwiML while Redis is down: {exc}: {resp.text}") from None
    assert down_answer.text, "silence while Redis is down"

    await asyncio.to_thread(redis.start)
    heard = []
    for who, caller in callers:
        answer = await caller.say(f"{who.day} at {who.time}")
        assert answer.status == 200, answer.body
        assert answer.latency < WEBHOOK_BUDGET
        assert answer.text, "the caller heard nothing"
        assert answer.gather_action is not None, answer.body
        # Bella says she lost track and starts over; the caller is not dropped.
        assert "lost my place" in answer.text, answer.text
        heard.append(answer.text)
    # Then those callers can still finish: a new booking works on the same processes.
    await eventually(lambda: _booked_by_speech(client, running), 45,
                     "a booking once Redis is back", interval=0.5)  # fmt: skip
    _same_processes(running, pids)

    calls = {c.call_sid: c for c in await list_calls(stack.voice_grpc_address, "toronto")}
    for _, caller in callers:
        assert caller.call_sid in calls, "a call in progress vanished from the records"
    # And the conversation carries on from there to a booking.
    who, caller = callers[0]
    rng_turns = 0
    last = caller.last
    assert last is not None
    answer = last
    while answer.gather_action is not None and rng_turns < 12:
        action, value = reply(answer, who, rng_turns + 1, random.Random(3))
        if action == "hangup":
            break
        answer = await (caller.press(value) if action == "press" else caller.say(value))
        rng_turns += 1
    assert "all set" in " ".join(a.text for a in caller.history[-4:]), caller.history[-1].text
