"""The admin FastAPI application: dashboard pages, REST API, health checks.

``create_app(settings, deps)`` builds the app around already-opened
dependencies (database, Redis, gRPC clients, telemetry) so tests and the
stack run the real thing in one event loop; ``AdminDeps.open`` makes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import structlog
from bella_core.databases import asyncpg_url
from bella_core.telemetry import (
    Telemetry,
    http_telemetry,
    register_system_health,
)
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bella_admin.audit import AuditLog
from bella_admin.clients import Backends
from bella_admin.metrics import AdminMetrics
from bella_admin.sessions import SessionStore
from bella_admin.settings import AdminSettings
from bella_admin.throttle import LoginThrottle
from bella_admin.tokens import ApiTokens
from bella_admin.users import Users

log = structlog.get_logger(__name__)
HERE = Path(__file__).parent
HEALTH_INTERVAL_SECONDS = 30.0

# The dashboard takes small forms only (no uploads): anything bigger is refused unread.
MAX_BODY_BYTES = 64 * 1024

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass
class AdminDeps:
    settings: AdminSettings
    telemetry: Telemetry
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    redis: Redis
    backends: Backends
    users: Users
    sessions: SessionStore
    throttle: LoginThrottle
    audit: AuditLog
    tokens: ApiTokens
    metrics: AdminMetrics

    @classmethod
    async def open(cls, settings: AdminSettings, telemetry: Telemetry) -> AdminDeps:
        engine = create_async_engine(
            asyncpg_url(settings.database_url), pool_size=10, max_overflow=5, pool_pre_ping=True
        )
        db = async_sessionmaker(engine, expire_on_commit=False)
        redis = Redis.from_url(settings.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        backends = Backends.connect(
            settings.booking_address, settings.voice_address, settings.admin_grpc_timeout,
            telemetry=telemetry,
        )
        window = settings.admin_lockout_window_minutes * 60
        throttle = LoginThrottle(
            redis, settings.admin_lockout_account_failures, settings.admin_lockout_ip_failures,
            window,
        )
        return cls(
            settings=settings, telemetry=telemetry, engine=engine, db=db, redis=redis,
            backends=backends,
            users=Users(db, throttle, lock_minutes=settings.admin_lockout_window_minutes),
            sessions=SessionStore(
                redis, idle_seconds=settings.admin_session_idle_minutes * 60,
                absolute_seconds=settings.admin_session_absolute_hours * 3600,
            ),
            throttle=throttle, audit=AuditLog(db),
            tokens=ApiTokens(
                db, env_token=settings.api_token, env_clinic=settings.admin_api_token_clinic
            ),
            metrics=AdminMetrics(telemetry.meter, register_system_health(telemetry)),
        )

    async def close(self) -> None:
        await self.backends.close()
        await self.redis.aclose()  # type: ignore[attr-defined]
        await self.engine.dispose()

    async def readiness(self) -> dict[str, bool]:
        async def database() -> bool:
            try:
                async with self.engine.connect() as conn:
                    await asyncio.wait_for(conn.execute(text("SELECT 1")), 2.0)
                return True
            except Exception:  # any failure means not ready
                return False

        async def redis() -> bool:
            try:
                return bool(await asyncio.wait_for(self.redis.ping(), 2.0))
            except Exception:
                return False

        db_ok, redis_ok, peers = await asyncio.gather(database(), redis(), self.backends.health())
        checks = {"postgres": db_ok, "redis": redis_ok, **peers}
        for name, ok in checks.items():
            self.metrics.health.set(name, ok)
        return checks


class SecurityHeaders:
    """Security headers on every response, and the request metrics.

    A plain ASGI middleware: it never buffers streamed CSV exports.
    """

    def __init__(self, app: ASGIApp, *, https: bool, metrics: AdminMetrics) -> None:
        self.app = app
        self.https = https
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope["path"]
        status_holder: dict[str, object] = {"status": 500, "html": False, "started": False}
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        too_big = not declared.isdigit() or int(declared) > MAX_BODY_BYTES
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    # An HTTPException passes through FastAPI's body parsing as itself (413).
                    self.metrics.security("oversize_body")
                    raise HTTPException(413, "Request body too large.")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["started"] = True
                status_holder["status"] = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"server")
                ]
                content_type = next(
                    (v for k, v in headers if k.lower() == b"content-type"), b""
                )
                status_holder["html"] = content_type.startswith(b"text/html")
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    # Every dynamic response may hold patient data; only static assets cache.
                    (b"cache-control",
                     b"public, max-age=3600" if path.startswith("/static/") else b"no-store"),
                ]
                if self.https:
                    headers.append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
                message["headers"] = headers
            await send(message)

        try:
            if too_big:
                raise _BodyTooLarge()
            await self.app(scope, receive_limited, send_with_headers)
        except _BodyTooLarge:
            self.metrics.security("oversize_body")
            if status_holder.get("started"):
                raise
            await _plain(send_with_headers, 413, b"Request body too large.")
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            if not path.startswith("/static/") and path not in ("/healthz", "/readyz"):
                ms = (time.perf_counter() - started) * 1000
                status = int(str(status_holder["status"]))
                page = bool(status_holder["html"]) and scope.get("method") == "GET" and (
                    status == 200
                )
                self.metrics.request(template, scope.get("method", ""), status, ms, page)


class _BodyTooLarge(Exception):
    pass


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: AdminSettings, deps: AdminDeps) -> FastAPI:
    from bella_admin.api import router as api_router
    from bella_admin.web import router as web_router
    from bella_admin.web.common import install_error_pages

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_health_loop(deps))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(
        title="Bella Admin API",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        # No spans for probes and static files; query strings are redacted on export.
        telemetry=http_telemetry(deps.telemetry, exclude=("/healthz", "/readyz", "/static")),
    )
    app.state.deps = deps
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        checks = await deps.readiness()
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    app.include_router(api_router)
    app.include_router(web_router)
    install_error_pages(app)
    app.add_middleware(SecurityHeaders, https=settings.admin_https, metrics=deps.metrics)
    return app


async def _health_loop(deps: AdminDeps) -> None:
    while True:
        try:
            await deps.readiness()
        except Exception as exc:  # keep the loop alive; readiness itself reports failures
            log.warning("admin.health_check_failed", error=type(exc).__name__)
        await asyncio.sleep(HEALTH_INTERVAL_SECONDS)


API_DESCRIPTION = """
Read-only access to one clinic's appointments, calls and KPIs.

**Authentication**: `Authorization: Bearer <token>`. Tokens are created by clinic admins on the
dashboard's *API tokens* page (role `staff` or `admin`, limited to the admin's clinic, shown once,
stored hashed). `BELLA_ADMIN_API_TOKEN`, when set, is a further read-only (`staff`) token limited
to the clinic named by `BELLA_ADMIN_API_TOKEN_CLINIC`.

**Errors** are JSON: `{"error": {"code": "...", "message": "..."}}`: 401 without a valid token,
403 when the token's role may not use the endpoint, 404 for a record not in the token's clinic,
422 for a bad parameter, 503 when booking or voice does not answer.
"""
