"""Single scripted calls for the fault, abuse and privacy tests."""

from __future__ import annotations

import asyncio
import inspect
import random
import re
import time
from collections.abc import Awaitable, Callable

import httpx

from .flows import CallResult, Kind, Persona, reply, run_call, think_time
from .harness import Stack
from .twilio_caller import TORONTO_NUMBER, Answer, TwilioCaller

_serial = 0


def persona(kind: Kind = Kind.BOOK, *, area: str = "905", name: str = "") -> Persona:
    """A caller with a phone number no load-generated caller uses (area 905/289)."""
    global _serial
    _serial += 1
    rng = random.Random(_serial)
    return Persona(
        kind=kind,
        name=name or f"{rng.choice(['Winifred', 'Cornelius', 'Philippa', 'Ignatius'])} "
        f"{rng.choice(['Fotheringham', 'Wigglesworth', 'Pennyfeather', 'Blandings'])}",
        phone=f"+1{area}555{8000 + _serial % 2000:04d}",
        service="cleaning",
        day=rng.choice(["Tuesday", "Wednesday", "Thursday"]),
        time=rng.choice(["9 am", "11 am", "2 pm"]),
    )


async def place_call(
    client: httpx.AsyncClient,
    stack: Stack,
    who: Persona,
    *,
    to: str = TORONTO_NUMBER,
    max_turns: int = 16,
) -> CallResult:
    caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                          from_number=who.phone, to_number=to)  # fmt: skip
    return await run_call(caller, who, think=think_time(0, 0, random.Random()),
                          rng=random.Random(1), max_turns=max_turns)  # fmt: skip


async def converse_until(
    caller: TwilioCaller, who: Persona, pattern: str, *, max_turns: int = 14
) -> Answer:
    """Ring and answer Bella until what she says matches ``pattern`` (case-insensitive)."""
    rx = re.compile(pattern, re.I)
    rng = random.Random(2)
    answer = await caller.dial()
    for turn in range(max_turns):
        if answer.status != 200:
            raise AssertionError(f"HTTP {answer.status}: {answer.body[:200]}")
        if rx.search(answer.text):
            return answer
        if answer.ends_call:
            break
        action, value = reply(answer, who, turn, rng)
        if action == "hangup":
            break
        answer = await (caller.press(value) if action == "press" else caller.say(value))
    raise AssertionError(f"Bella never said /{pattern}/; last: {answer.text!r}")


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], within: float, what: str, interval: float = 0.2
) -> None:
    """Poll ``check`` (sync or async) until true, or fail naming ``what``."""
    deadline = time.monotonic() + within
    last: BaseException | None = None
    while True:
        try:
            result = check()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return
        except AssertionError as exc:
            last = exc
        if time.monotonic() > deadline:
            detail = f" ({last})" if last else ""
            raise AssertionError(f"not within {within:.0f}s: {what}{detail}")
        await asyncio.sleep(interval)
