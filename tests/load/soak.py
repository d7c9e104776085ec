"""`make soak`: the stack as separate processes under many simultaneous calls.

    python -m tests.load.soak [--concurrency 100] [--duration 120] [--think 1 3]
                              [--database-url URL] [--redis-url URL]

Starts PostgreSQL and Redis of its own (or creates a fresh database on the
PostgreSQL server ``--database-url`` names, and uses ``--redis-url``),
migrates and seeds exactly as `make run` does, starts the four services as
processes, warms them with one booking per clinic, keeps ``--concurrency``
simulated calls in flight for ``--duration`` seconds (each caller thinks
``--think`` seconds between turns), then checks every booking through
booking's gRPC API. Prints the figures (with each service's CPU time per
turn and the machine's load average, since other work on the machine shows
in the latency) and exits non-zero when a call saw an error, a booking is
wrong, or (with ``--strict``) the p99 target is missed.

tests/load/bench.py is the short version for ``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil
from bella_core.databases import plain_url

from .correctness import check_bookings, list_appointments
from .generator import LoadReport, run_load
from .harness import launch

P99_TARGET_MS = 100.0


async def soak(
    *,
    concurrency: int,
    duration: float,
    think: tuple[float, float],
    database_url: str = "",
    redis_url: str = "",
    keep_logs: bool = False,
) -> tuple[LoadReport, bool]:
    workdir = Path(tempfile.mkdtemp(prefix="bella-soak-"))
    t0 = time.monotonic()
    postgres_server_url = plain_url(database_url) if database_url else ""
    async with launch(workdir, postgres_server_url=postgres_server_url, redis_url=redis_url,
                      keep=keep_logs) as running:  # fmt: skip
        stack = running.stack
        print(f"stack up and warmed in {time.monotonic() - t0:.1f}s "
              f"(voice {stack.voice_url}, logs {stack.workdir})", flush=True)  # fmt: skip
        me = psutil.Process()
        cpu_before = {**stack.cpu_seconds(), "load generator": sum(me.cpu_times()[:2])}
        report = await run_load(
            stack.voice_url,
            stack.auth_token,
            concurrency=concurrency,
            duration=duration,
            think=think,
            ramp=min(10.0, duration / 6),
        )
        cpu_after = {**stack.cpu_seconds(), "load generator": sum(me.cpu_times()[:2])}
        cpu = {n: after - cpu_before.get(n, 0.0) for n, after in cpu_after.items()}
        appts = await list_appointments(stack.booking_address)
        correctness = check_bookings(report.results, appts)
        print(report.summary())
        if report.turns:
            print("CPU per turn (ms): " + ", ".join(
                f"{n} {1000 * s / report.turns:.1f}" for n, s in cpu.items()
            ) + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
        print(correctness.summary())
        crashed = [n for n, svc in stack.services.items() if not svc.running]
        if crashed:
            print(f"services that died during the run: {', '.join(crashed)}")
        ok = not report.errors and correctness.ok and not crashed
    if keep_logs:
        print(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return report, ok


def bench(duration: float = 30.0, concurrency: int = 50) -> LoadReport:
    """Short run for `make bench`: prints the figures and returns the report."""
    report, _ = asyncio.run(
        soak(concurrency=concurrency, duration=duration, think=(1.0, 3.0))
    )
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.load.soak", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("SOAK_SECONDS", "120"))
    )
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--database-url", default=os.environ.get("BELLA_SOAK_DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("BELLA_SOAK_REDIS_URL", ""))
    parser.add_argument("--keep-logs", action="store_true")
    parser.add_argument("--strict", action="store_true", help=f"fail when p99 > {P99_TARGET_MS} ms")
    args = parser.parse_args(argv)
    report, ok = asyncio.run(
        soak(
            concurrency=args.concurrency,
            duration=args.duration,
            think=(args.think[0], args.think[1]),
            database_url=args.database_url,
            redis_url=args.redis_url,
            keep_logs=args.keep_logs,
        )
    )
    p99 = report.p(99)
    verdict = "met" if p99 < P99_TARGET_MS else "MISSED"
    print(f"target: {args.concurrency} concurrent calls, turn p99 < {P99_TARGET_MS:.0f} ms "
          f"({verdict}: {p99:.1f} ms), zero errors ({'met' if ok else 'MISSED'})")  # fmt: skip
    if not ok or (args.strict and p99 >= P99_TARGET_MS):
        sys.exit(1)


if __name__ == "__main__":
    main()
