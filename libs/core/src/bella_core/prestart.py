"""Prestart: wait for PostgreSQL and Redis, apply every service's migrations
and seed the demo data, by calling the services' own CLIs.

One definition shared by ``make run`` (bella_core.stack), the compose
one-shot services and CI::

    python -m bella_core.prestart                  # every service, as make run does
    python -m bella_core.prestart --service voice  # one service, as its container does

Each service owns its schema and its migrations; this module only knows the
order and the command names. Services are independent (one schema each),
so their chains run concurrently; steps inside a chain run in order.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_exponential

from bella_core.processes import spawn, terminate

# (service, argv) in order. Only services with tables or seed data appear here.
STEPS: dict[str, list[list[str]]] = {
    "booking": [["bella-booking", "migrate"], ["bella-booking", "seed"]],
    "voice": [["bella-voice", "migrate"]],
    "admin": [["bella-admin", "migrate"], ["bella-admin", "seed-demo"]],
}


class PrestartError(RuntimeError):
    """A step failed; the message says which and how, in one line."""


@dataclass
class StepResult:
    service: str
    argv: list[str]
    seconds: float
    output: str


def resolve_command(name: str) -> str:
    """Console scripts live beside the running interpreter (the venv) or on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise PrestartError(f"{name}: command not found (is the package installed? run make setup)")
    return found


class _NotReady(Exception):
    pass


async def _check_postgres(url: str) -> None:
    import asyncpg

    from bella_core.databases import asyncpg_connect_kwargs

    kwargs = asyncpg_connect_kwargs(url)
    try:
        conn = await asyncpg.connect(**kwargs, timeout=3)
    except asyncpg.InvalidCatalogNameError:
        # Waiting will not help: say so at once.
        raise PrestartError(
            f"PostgreSQL: database {kwargs['database']!r} does not exist"
            " (create it, or fix BELLA_DATABASE_URL)"
        ) from None
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError):
        raise PrestartError(
            f"PostgreSQL: user {kwargs['user']!r} was refused (check BELLA_DATABASE_URL)"
        ) from None
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise _NotReady(f"PostgreSQL: {type(exc).__name__}") from exc
    try:
        await conn.fetchval("select 1")
    finally:
        await conn.close()


async def _check_redis(url: str) -> None:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError

    client = aioredis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        await client.ping()
    except (OSError, RedisError) as exc:
        raise _NotReady(f"Redis: {type(exc).__name__}") from exc
    finally:
        await client.aclose()  # type: ignore[attr-defined]


async def wait_for_dependencies(
    database_url: str | None, redis_url: str | None, *, within: float = 60.0
) -> None:
    """Retry with backoff until PostgreSQL and Redis answer, or fail after ``within`` seconds."""

    @retry(
        retry=retry_if_exception_type(_NotReady),
        wait=wait_exponential(multiplier=0.1, max=2.0),
        stop=stop_after_delay(within),
        reraise=True,
    )
    async def _wait() -> None:
        if database_url:
            await _check_postgres(database_url)
        if redis_url:
            await _check_redis(redis_url)

    try:
        await _wait()
    except _NotReady as exc:
        raise PrestartError(f"{exc} did not answer within {within:.0f}s") from None


async def _run_step(service: str, argv: list[str], env: Mapping[str, str]) -> StepResult:
    started = time.monotonic()
    proc = await spawn([resolve_command(argv[0]), *argv[1:]], env)
    try:
        out, _ = await proc.communicate()
    except asyncio.CancelledError:
        # Another chain failed or the stack is stopping: no half-run step left behind.
        await terminate(proc, grace=5.0)
        raise
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        if "invalid choice" in text:
            raise PrestartError(
                f"{' '.join(argv)}: the {service} service has no {argv[1]!r} command yet"
                f" (services/{service}/src/bella_{service}/__main__.py)"
            )
        last = next((ln for ln in reversed(text.strip().splitlines()) if ln.strip()), "")
        raise PrestartError(f"{' '.join(argv)} failed with exit code {proc.returncode}: {last}")
    return StepResult(service, argv, time.monotonic() - started, text)


async def _run_chain(
    service: str,
    steps: Sequence[list[str]],
    env: Mapping[str, str],
    report: Callable[[StepResult], None],
) -> list[StepResult]:
    results = []
    for argv in steps:
        result = await _run_step(service, argv, env)
        report(result)
        results.append(result)
    return results


async def prestart(
    env: Mapping[str, str],
    *,
    services: Sequence[str] | None = None,
    wait_timeout: float = 60.0,
    report: Callable[[StepResult], None] = lambda _r: None,
) -> list[StepResult]:
    """Wait for the databases, then run each named service's steps (default: all).

    Raises PrestartError.
    """
    services = tuple(STEPS) if services is None else services
    unknown = [s for s in services if s not in STEPS]
    if unknown:
        known = ", ".join(STEPS)
        raise PrestartError(f"no prestart steps for {', '.join(unknown)} (known: {known})")
    await wait_for_dependencies(
        env.get("BELLA_DATABASE_URL") or None, env.get("BELLA_REDIS_URL") or None,
        within=wait_timeout,
    )
    chains = [_run_chain(s, STEPS[s], env, report) for s in services]
    outcomes = await asyncio.gather(*chains, return_exceptions=True)
    results: list[StepResult] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        results.extend(outcome)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bella_core.prestart",
        description="Wait for PostgreSQL/Redis, run migrations and seed the demo data.",
    )
    parser.add_argument(
        "--service", action="append", choices=sorted(STEPS),
        help="only this service's steps (repeatable; default: all)",
    )
    parser.add_argument("--wait-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    def report(result: StepResult) -> None:
        print(f"prestart: {' '.join(result.argv)} ok ({result.seconds:.1f}s)", flush=True)
        for line in result.output.strip().splitlines():
            print(f"  {line}", flush=True)

    try:
        asyncio.run(
            prestart(
                os.environ, services=args.service or None,
                wait_timeout=args.wait_timeout, report=report,
            )
        )
    except PrestartError as exc:
        print(f"prestart: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
