"""Scripted phone calls (tests/scripts/*.yaml) through the real webhook app, the real
NLP and booking gRPC servers, PostgreSQL and Redis, spoken by the same Softphone as
``bella-voice call``: signed form posts following each <Gather> action."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import pytest
import yaml
from bella.v1 import booking_pb2
from bella_voice.records import Outcome
from voice_stack import Stack, running_stack

SCRIPTS = sorted((Path(__file__).parent / "scripts").glob("*.yaml"))
LOADED = {p.stem: yaml.safe_load(p.read_text()) for p in SCRIPTS}


@pytest.fixture(scope="module")
async def stack(database_url: str, redis_url: str):
    async with running_stack(database_url, redis_url) as running:
        yield running


def _check(turn: Any, step: dict[str, Any], where: str) -> None:
    assert turn.status == 200, f"{where}: HTTP {turn.status}"
    said = turn.text.lower()
    for phrase in step.get("bella", []):
        assert phrase.lower() in said, f"{where}: expected {phrase!r} in {turn.text!r}"
    if "dial" in step:
        assert turn.dial == step["dial"], f"{where}: expected a transfer, got {turn.body}"
    if step.get("hangup"):
        assert turn.over and not turn.dial, f"{where}: expected a hang-up, got {turn.body}"


async def run_script(stack: Stack, script: dict[str, Any]) -> tuple[str, list[str]]:
    """Play one script; returns the CallSid and what Bella said, turn by turn."""
    tz = ZoneInfo("America/Vancouver" if script.get("to") == "+16045550100"
                  else "America/Toronto")
    setup = script.get("setup", {}).get("book")
    if setup:
        local = stack.now.astimezone(tz).date() + timedelta(days=setup["day_offset"])
        hh, mm = (int(x) for x in setup["time"].split(":"))
        await stack.book_directly(
            name=setup["name"], phone=script["from"], service=setup["service"],
            start=datetime.combine(local, time(hh, mm), tz), key=f"setup-{script['from']}")
    phone = stack.phone(script["from"], script.get("to", "+16475550100"))
    steps = script["steps"]
    turn = await phone.ring()
    _check(turn, steps[0], "greeting")
    said = [turn.text]
    for i, step in enumerate(steps[1:], start=1):
        where = f"{script['name']} step {i}"
        if step.get("take_chosen_slot"):
            # Other callers take that time on every chair that does the service.
            state = await stack.runtime.deps.store.load(phone.call_sid)
            assert state is not None and state.chosen
            for n in range(8):
                try:
                    await stack.book_directly(
                        name=f"Someone Else {n}", phone=f"+1416555990{n}",
                        service=state.chosen["service"],
                        start=datetime.fromisoformat(state.chosen["start"]),
                        key=f"other-{phone.call_sid}-{n}")
                except grpc.aio.AioRpcError as err:
                    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
                    break
        if "press" in step:
            line = f"press {step['press']}"
        elif step.get("silence"):
            line = ""
        else:
            line = step["caller"]
        turn = await phone.send(line)
        _check(turn, step, where)
        for _ in range(step.get("retry", 0)):
            again = await phone.repost()
            assert again.body == turn.body, f"{where}: a retry changed the answer"
        if step.get("concurrent_retry"):
            retries = await asyncio.gather(
                *(phone.repost() for _ in range(step["concurrent_retry"])))
            assert {r.body for r in retries} == {turn.body}, f"{where}: retries disagree"
        said.append(turn.text)
        if turn.over:
            break
    await phone.hang_up()
    await stack.runtime.drain()
    return phone.call_sid, said


async def _verify(stack: Stack, script: dict[str, Any], sid: str) -> None:
    expect = script.get("expect", {})
    clinic = expect.get("clinic", "toronto")
    tz = ZoneInfo("America/Vancouver" if clinic == "vancouver" else "America/Toronto")
    call = await stack.runtime.records.get_call(clinic, sid)
    if not expect:
        assert call is None  # an unknown number leaves no call record
        return
    assert call is not None and not call.in_progress
    assert Outcome(call.outcome).name.lower() == expect["outcome"]
    assert call.trace_id.startswith("1-") or call.trace_id == ""
    booking = expect.get("booking")
    made = await stack.appointments_of_call(sid, clinic)
    if booking:
        assert len(made) == 1, f"expected exactly one booking, got {len(made)}"
        appt = made[0]
        local = appt.start.ToDatetime().replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
        assert appt.service == booking["service"]
        assert appt.patient_name == booking["name"]
        assert appt.patient_phone == booking["phone"]
        if "weekday" in booking:
            assert f"{local:%A}" == booking["weekday"]
        if "time" in booking:
            assert f"{local:%H:%M}" == booking["time"]
        assert call.appointment_id == appt.id
    else:
        assert made == []
    if "remaining_appointments" in expect:
        assert len(await stack.appointments_of(script["from"], clinic)) == \
            expect["remaining_appointments"]
    if "moved_to" in expect:
        (appt,) = await stack.appointments_of(script["from"], clinic)
        local = appt.start.ToDatetime().replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
        assert f"{local:%A}" == expect["moved_to"]["weekday"]
        assert appt.status == booking_pb2.APPOINTMENT_STATUS_BOOKED


@pytest.mark.parametrize("name", sorted(LOADED))
async def test_scripted_call(stack: Stack, name: str) -> None:
    script = LOADED[name]
    sid, _ = await run_script(stack, script)
    await _verify(stack, script, sid)
