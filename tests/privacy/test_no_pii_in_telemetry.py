"""PHIPA: a simulated clinic day leaves no patient's name, phone number or
words in any log line, span or metric.

The stack runs as separate processes, exporting spans and metrics over OTLP
to a local sink and logging to files. A few dozen calls of every kind are
placed by callers with known fake names and numbers (spoken, typed on the
keypad, and as caller id), staff search for those patients through the
admin API, and then every log line, span name, span attribute and event,
and metric attribute is searched for any of it, in any format.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bella_core.testing.otlp import OtlpReceiver

from tests.load.flows import CallResult, Kind, Persona, make_persona, run_call, think_time
from tests.load.harness import Running
from tests.load.scripted import eventually
from tests.load.twilio_caller import TORONTO_NUMBER, VANCOUVER_NUMBER, TwilioCaller

pytestmark = pytest.mark.timeout(240)

DAY = [Kind.BOOK] * 14 + [Kind.CANCEL] * 4 + [Kind.INFO] * 6 + [Kind.GARBAGE] * 4


@dataclass
class Day:
    running: Running
    sink: OtlpReceiver
    results: list[CallResult]
    log_files: list[Path]


def _phone_forms(e164: str) -> set[str]:
    national = e164[-10:]
    return {national, "1" + national}


def _name_forms(name: str) -> set[str]:
    return {name.lower(), *(part.lower() for part in name.split() if len(part) >= 4)}


def _said(result: CallResult) -> Iterator[str]:
    for caller_text, _ in result.transcript:
        if len(caller_text) >= 12 and not caller_text.startswith("<"):
            yield caller_text.lower()


_SEPARATORS = re.compile(r"(?:%2[bB]|%20|[\s().+\-])")


def _digits_view(text: str) -> str:
    """Phone numbers written any way (+1 (416) 555-0123, 416.555.0123, %2B1416...) collapse."""
    return _SEPARATORS.sub("", text)


def _leaks(texts: Iterator[tuple[str, str]], day: list[CallResult]) -> list[str]:
    names = {form for r in day for form in _name_forms(r.persona.name)}
    phones = {form for r in day for form in _phone_forms(r.persona.phone)}
    words = {w for r in day for w in _said(r)}
    found = []
    for where, text in texts:
        if not text:
            continue
        low = text.lower()
        digits = _digits_view(text)
        for name in names:
            if name in low:
                found.append(f"name {name!r} in {where}: {text[:160]!r}")
        for phone in phones:
            if phone in digits:
                found.append(f"phone ...{phone[-4:]} in {where}: {text[:160]!r}")
        for said in words:
            if said in low:
                found.append(f"caller's words {said!r} in {where}: {text[:160]!r}")
    return found


def _log_lines(files: list[Path]) -> Iterator[tuple[str, str]]:
    for path in files:
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            yield f"{path.name}:{n}", line


def _persona(kind: Kind, index: int, rng: random.Random) -> tuple[Persona, str]:
    to = TORONTO_NUMBER if index % 3 else VANCOUVER_NUMBER
    area = "416" if to == TORONTO_NUMBER else "604"
    return make_persona(kind, 300 + index, rng, area=area), to


@pytest.fixture(scope="module")
async def day(bella: Running) -> AsyncIterator[Day]:
    stack, sink = bella.stack, bella.sink
    assert sink is not None
    rng = random.Random(7)
    results: list[CallResult] = []
    booked: list[tuple[Persona, str]] = []
    async with httpx.AsyncClient(timeout=10) as client:

        async def call(who: Persona, to: str) -> CallResult:
            caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                                  from_number=who.phone, to_number=to)  # fmt: skip
            return await run_call(caller, who, think=think_time(0, 0.05, rng), rng=rng)

        # Morning: bookings, questions and noise, a few at a time.
        first = [_persona(k, i, rng) for i, k in enumerate(DAY) if k is not Kind.CANCEL]
        for i in range(0, len(first), 6):
            batch = first[i : i + 6]
            done = await asyncio.gather(*(call(who, to) for who, to in batch))
            results.extend(done)
            booked += [(r.persona, to) for r, (_, to) in zip(done, batch, strict=True)
                       if r.heard_booked]  # fmt: skip
        # Afternoon: some of them ring back to cancel.
        for who, to in booked[:4]:
            canceller = Persona(Kind.CANCEL, who.name, who.phone, who.service)
            results.append(await call(canceller, to))
        # Staff look those patients up (by name and by number) through the API.
        headers = {"Authorization": f"Bearer {stack.admin_api_token}"}
        for who, _ in booked[:6]:
            for params in ({"q": who.name}, {"q": who.name.split()[-1]},
                           {"phone": who.phone}, {"q": who.phone[-7:]}):  # fmt: skip
                resp = await client.get(f"{stack.admin_url}/api/v1/appointments",
                                        params=params, headers=headers)  # fmt: skip
                assert resp.status_code == 200, resp.text[:300]
        resp = await client.get(f"{stack.admin_url}/api/v1/calls", headers=headers)
        assert resp.status_code == 200, resp.text[:300]

    # Wait until every service has exported and the exports have stopped growing.
    def services() -> set[str]:
        return {s.service for s in sink.spans()}

    await eventually(lambda: {"Voice", "NLP", "Booking", "Admin"} <= services(), 30,
                     "spans from all four services")  # fmt: skip
    seen = [-1]

    def settled() -> bool:
        now = len(sink.trace_requests)  # metrics export on a timer forever; spans only when made
        quiet, seen[0] = now == seen[0], now
        return quiet

    await eventually(settled, 30, "telemetry exports to settle", interval=1.5)
    yield Day(bella, sink, results, [s.log_path for s in stack.services.values()])


def test_the_day_really_happened(day: Day) -> None:
    """The scan below would pass vacuously on an empty day; this one would not."""
    assert len(day.results) >= 24
    assert sum(r.heard_booked for r in day.results) >= 6
    assert sum(r.heard_cancelled for r in day.results) >= 1
    assert all(not r.errors for r in day.results), [r.errors for r in day.results if r.errors]
    for path in day.log_files:
        assert len(path.read_text(errors="replace").splitlines()) >= 3, f"{path.name} is empty"
    assert len(day.sink.span_names()) >= 5
    assert {"CallVolume", "TwilioWebhookLatency"} <= day.sink.metric_names()


def test_no_name_phone_or_utterance_in_any_log_line(day: Day) -> None:
    leaks = _leaks(_log_lines(day.log_files), day.results)
    assert not leaks, "\n".join(leaks[:40])


def test_no_name_phone_or_utterance_in_any_span_or_metric(day: Day) -> None:
    leaks = _leaks(day.sink.texts(), day.results)
    assert not leaks, "\n".join(leaks[:40])
