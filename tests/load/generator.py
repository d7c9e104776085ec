"""The load generator: many simulated calls at once through the voice webhook.

``run_load`` keeps ``concurrency`` calls in flight for ``duration`` seconds.
Each call is a :class:`~tests.load.flows.Persona` (booking, cancel, info or
garbage) talking to Bella turn by turn with a think time between turns, as a
person on the phone would. Figures: calls held at once, turns per second,
turn latency percentiles, and every error (non-200, invalid TwiML, transport
failure).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from .flows import CallResult, Kind, Persona, make_persona, run_call, think_time
from .twilio_caller import TORONTO_NUMBER, VANCOUVER_NUMBER, TwilioCaller

DEFAULT_MIX: dict[Kind, float] = {
    Kind.BOOK: 0.5,
    Kind.CANCEL: 0.15,
    Kind.INFO: 0.2,
    Kind.GARBAGE: 0.15,
}
CLINIC_AREAS = {TORONTO_NUMBER: ("416", "647", "437"), VANCOUVER_NUMBER: ("604", "778", "236")}


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class LoadReport:
    concurrency_target: int
    duration: float = 0.0
    calls_started: int = 0
    calls_completed: int = 0
    max_concurrent: int = 0
    turns: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    results: list[CallResult] = field(default_factory=list)

    def since(self, t: float) -> list[CallResult]:
        """Calls that started at or after monotonic time ``t``."""
        return [r for r in self.results if r.started >= t]

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.duration if self.duration else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def outcomes(self) -> Counter[str]:
        c: Counter[str] = Counter()
        for r in self.results:
            c[r.persona.kind.value] += 1
            if r.heard_booked:
                c["heard_booked"] += 1
            if r.heard_cancelled:
                c["heard_cancelled"] += 1
            if r.heard_keypad:
                c["heard_keypad_menu"] += 1
            if r.heard_callback:
                c["heard_callback_offer"] += 1
            if r.transferred:
                c["transferred"] += 1
        return c

    def summary(self) -> str:
        mean = statistics.fmean(self.latencies) * 1000 if self.latencies else 0.0
        lines = [
            f"calls: target {self.concurrency_target} concurrent, held {self.max_concurrent}; "
            f"{self.calls_started} started, {self.calls_completed} completed in "
            f"{self.duration:.1f}s",
            f"turns: {self.turns} ({self.turns_per_second:.1f}/s)",
            f"turn latency ms: p50 {self.p(50):.1f}  p95 {self.p(95):.1f}  "
            f"p99 {self.p(99):.1f}  max {self.p(100):.1f}  mean {mean:.1f}",
            f"errors: {len(self.errors)}",
            "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes().items())),
        ]
        by_step: dict[str, list[float]] = {}
        for r in self.results:
            for step, seconds in r.steps:
                by_step.setdefault(step, []).append(seconds)
        lines.append("p50/p99 ms by the question answered: " + ", ".join(
            f"{step} {percentile(v, 50) * 1000:.0f}/{percentile(v, 99) * 1000:.0f}"
            for step, v in sorted(by_step.items(), key=lambda kv: -len(kv[1]))
        ))  # fmt: skip
        for err in self.errors[:10]:
            lines.append(f"  error: {err}")
        return "\n".join(lines)


class PersonaSource:
    """Hands out personas in the configured mix; cancellers reuse a booked caller's phone."""

    def __init__(self, mix: dict[Kind, float], rng: random.Random, first_index: int = 0) -> None:
        self.mix = mix
        self.rng = rng
        self.index = first_index
        self.booked: list[tuple[Persona, str]] = []  # (persona, Twilio number called)

    def next(self) -> tuple[Persona, str]:
        kinds = list(self.mix)
        kind = self.rng.choices(kinds, weights=[self.mix[k] for k in kinds])[0]
        if kind is Kind.CANCEL:
            if self.booked:
                booked, to = self.booked.pop(self.rng.randrange(len(self.booked)))
                return Persona(Kind.CANCEL, booked.name, booked.phone, booked.service), to
            kind = Kind.BOOK
        to = self.rng.choice([TORONTO_NUMBER, VANCOUVER_NUMBER])
        self.index += 1
        area = self.rng.choice(CLINIC_AREAS[to])
        return make_persona(kind, self.index, self.rng, area=area), to

    def done(self, result: CallResult, to: str) -> None:
        if result.heard_booked and result.persona.kind is Kind.BOOK:
            self.booked.append((result.persona, to))


async def run_load(
    voice_url: str,
    auth_token: str,
    *,
    concurrency: int = 50,
    duration: float = 30.0,
    think: tuple[float, float] = (0.5, 2.0),
    ramp: float = 5.0,
    mix: dict[Kind, float] | None = None,
    seed: int = 8,
    max_calls: int | None = None,
    on_result: Callable[[CallResult], None] | None = None,
    http_timeout: float = 10.0,
    report: LoadReport | None = None,
    stop: asyncio.Event | None = None,
) -> LoadReport:
    """Keep ``concurrency`` calls in flight for ``duration`` seconds (or ``max_calls``).

    Pass ``report`` to watch the figures while the load runs, and ``stop`` to end it
    early: calls in progress finish, no new one starts.
    """
    rng = random.Random(seed)
    personas = PersonaSource(mix or DEFAULT_MIX, rng, first_index=seed * 1000)
    report = report or LoadReport(concurrency_target=concurrency)
    stop = stop or asyncio.Event()
    in_flight = 0
    stop_at = time.monotonic() + duration

    def on_turn(latency: float, ok: bool) -> None:
        if ok:
            report.turns += 1
            report.latencies.append(latency)

    # Idle connections are dropped well before uvicorn's 5 s keep-alive timeout closes them:
    # reusing one the server is closing would be a client-side ReadError, not the stack's.
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency,
                          keepalive_expiry=2.0)  # fmt: skip
    async with httpx.AsyncClient(timeout=http_timeout, limits=limits) as client:

        async def worker(n: int) -> None:
            nonlocal in_flight
            await asyncio.sleep(ramp * n / max(1, concurrency))
            if stop.is_set():
                return
            while time.monotonic() < stop_at and not stop.is_set():
                if max_calls is not None and report.calls_started >= max_calls:
                    return
                persona, to = personas.next()
                caller = TwilioCaller(
                    client, voice_url, auth_token, from_number=persona.phone, to_number=to
                )
                report.calls_started += 1
                in_flight += 1
                report.max_concurrent = max(report.max_concurrent, in_flight)
                try:
                    result = await run_call(
                        caller,
                        persona,
                        think=think_time(think[0], think[1], rng),
                        rng=rng,
                        on_turn=on_turn,
                    )
                finally:
                    in_flight -= 1
                report.calls_completed += 1
                report.results.append(result)
                report.errors.extend(f"{result.call_sid[:10]}: {e}" for e in result.errors)
                personas.done(result, to)
                if on_result is not None:
                    on_result(result)

        t0 = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        report.duration = time.monotonic() - t0
    return report
