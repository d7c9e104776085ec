"""What every dashboard page shares: the request's session, CSRF, rendering, errors."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import structlog
from bella.v1 import booking_pb2
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from bella_admin.app import AdminDeps
from bella_admin.audit import Actor
from bella_admin.clients import BackendError, InvalidArgument, NotFound, Unavailable
from bella_admin.sessions import Session
from bella_admin.timefmt import iso_local, local

log = structlog.get_logger(__name__)
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
COOKIE_PLAIN = "bella_session"
COOKIE_SECURE = "__Host-bella_session"


def _fmt_time(value: Any, zone: str, fmt: str = "%H:%M") -> str:
    moment = local(value, zone)
    return moment.strftime(fmt) if moment else ""


TEMPLATES.env.filters["localtime"] = _fmt_time
TEMPLATES.env.filters["localiso"] = iso_local
TEMPLATES.env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"


def cookie_name(deps: AdminDeps) -> str:
    return COOKIE_SECURE if deps.settings.admin_https else COOKIE_PLAIN


def set_session_cookie(response: Response, deps: AdminDeps, session_id: str) -> None:
    # No Max-Age: a browser-session cookie; the server enforces idle and absolute limits.
    response.set_cookie(
        cookie_name(deps), session_id, path="/", secure=deps.settings.admin_https,
        httponly=True, samesite="lax",
    )


def clear_session_cookie(response: Response, deps: AdminDeps) -> None:
    response.delete_cookie(
        cookie_name(deps), path="/", secure=deps.settings.admin_https, httponly=True,
        samesite="lax",
    )


def client_ip(request: Request, deps: AdminDeps) -> str:
    if deps.settings.admin_trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            # The right-most entry is the one our own proxy appended; the rest are claims.
            return forwarded.split(",")[-1].strip()[:64]
    return request.client.host if request.client else "unknown"


def get_deps(request: Request) -> AdminDeps:
    deps: AdminDeps = request.app.state.deps
    return deps


DepsDep = Annotated[AdminDeps, Depends(get_deps)]


class LoginRequired(Exception):
    def __init__(self, next_path: str, expired: bool = False) -> None:
        self.next_path = next_path
        self.expired = expired


class Redirect(Exception):
    def __init__(self, location: str) -> None:
        self.location = location


class Forbidden(Exception):
    pass


class CsrfRejected(Exception):
    pass


@dataclass
class WebSession:
    """The request's session (possibly anonymous) and its id."""

    id: str | None
    session: Session | None
    had_cookie: bool


async def load_session(request: Request, deps: DepsDep) -> WebSession:
    if "web_session" in request.scope:
        cached: WebSession = request.scope["web_session"]
        return cached
    raw = request.cookies.get(cookie_name(deps))
    session = await deps.sessions.load(raw)
    web = WebSession(raw if session else None, session, bool(raw))
    request.scope["web_session"] = web
    return web


SessionDep = Annotated[WebSession, Depends(load_session)]


@dataclass
class Ctx:
    """A signed-in request: who, which clinic, and the helpers pages use."""

    request: Request
    deps: AdminDeps
    session_id: str
    session: Session
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def clinic_id(self) -> str:
        return self.session.clinic_id

    @property
    def actor(self) -> Actor:
        return Actor(
            clinic_id=self.session.clinic_id, actor_id=self.session.user_id,
            name=self.session.email, role=self.session.role,
            client_ip=client_ip(self.request, self.deps),
        )

    async def clinic(self) -> booking_pb2.Clinic:
        if "clinic" not in self.extra:
            self.extra["clinic"] = await self.deps.backends.booking.get_clinic(self.clinic_id)
        clinic: booking_pb2.Clinic = self.extra["clinic"]
        return clinic

    async def zone(self) -> str:
        return (await self.clinic()).time_zone or "America/Toronto"

    async def flash(self, message: str) -> None:
        self.session.flash.append(message[:300])
        await self.deps.sessions.save(self.session_id, self.session)

    async def render(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        flashes = list(self.session.flash)
        if flashes:
            self.session.flash.clear()
            await self.deps.sessions.save(self.session_id, self.session)
        try:
            clinic = await self.clinic()
        except BackendError:
            clinic = booking_pb2.Clinic(id=self.clinic_id, name=self.clinic_id,
                                        time_zone="America/Toronto")
        return TEMPLATES.TemplateResponse(
            self.request, name,
            {"s": self.session, "csrf": self.session.csrf, "clinic": clinic,
             "zone": clinic.time_zone or "America/Toronto", "flashes": flashes, **context},
            status_code=status_code,
        )


def _next_path(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return path


async def require_user(request: Request, deps: DepsDep, web: SessionDep) -> Ctx:
    session = web.session
    if session is None or not session.user_id or web.id is None:
        if web.had_cookie:
            deps.metrics.security("session_expired")
        raise LoginRequired(_next_path(request) if request.method == "GET" else "/",
                            expired=web.had_cookie)
    if session.mfa_pending:
        raise Redirect("/login/totp")
    if session.must_change_password and not request.url.path.startswith(
        ("/account/password", "/logout")
    ):
        raise Redirect("/account/password")
    return Ctx(request, deps, web.id, session)


UserCtx = Annotated[Ctx, Depends(require_user)]


async def require_admin(ctx: UserCtx) -> Ctx:
    if ctx.session.role != "admin":
        ctx.deps.metrics.security("forbidden")
        await ctx.deps.audit.record(
            ctx.actor, "access.denied", target_type="page",
            target_id=ctx.request.url.path[:64], outcome="denied",
        )
        raise Forbidden()
    return ctx


AdminCtx = Annotated[Ctx, Depends(require_admin)]


async def check_csrf(request: Request, deps: DepsDep, web: SessionDep) -> None:
    """Synchronizer token on every state-changing request (ASVS 5.0 3.5.1)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    sent = form.get("csrf_token")
    expected = web.session.csrf if web.session else ""
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent, expected)):
        deps.metrics.security("csrf_rejected")
        raise CsrfRejected()


def install_error_pages(app: FastAPI) -> None:
    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def simple_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(
            request, "error.html", {"title": title, "message": message, "s": None},
            status_code=status,
        )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        target = "/login?next=" + quote(exc.next_path, safe="")
        if exc.expired:
            target += "&expired=1"
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(Redirect)
    async def redirect(request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return simple_page(request, 403, "Not allowed",
                           "This page is for clinic administrators.")

    @app.exception_handler(CsrfRejected)
    async def csrf(request: Request, exc: CsrfRejected) -> Response:
        return simple_page(request, 403, "Form expired",
                           "This form was out of date. Go back, reload the page and try again.")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if is_api(request):
            return api_error(404, "not_found", exc.message)
        return simple_page(request, 404, "Not found", exc.message)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable) -> Response:
        if is_api(request):
            return api_error(503, "unavailable", exc.message)
        return simple_page(request, 503, "Temporarily unavailable", exc.message)

    @app.exception_handler(InvalidArgument)
    async def invalid_argument(request: Request, exc: InvalidArgument) -> Response:
        # Booking refused a parameter we passed through (a forged page token, a bad filter).
        if is_api(request):
            return api_error(422, "invalid_parameter", exc.message)
        return simple_page(request, 422, "Invalid request", exc.message)

    @app.exception_handler(BackendError)
    async def backend(request: Request, exc: BackendError) -> Response:
        if is_api(request):
            return api_error(502, "backend_error", exc.message)
        return simple_page(request, 502, "Something went wrong", exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request):
            code = {
                401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 422: "invalid_parameter",
            }.get(exc.status_code, "error")
            headers = dict(exc.headers or {})
            return api_error(exc.status_code, code, str(exc.detail), headers)
        titles = {404: "Not found", 405: "Not allowed", 403: "Not allowed"}
        return simple_page(request, exc.status_code, titles.get(exc.status_code, "Error"),
                           str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            problems.append({"parameter": ".".join(loc), "message": err.get("msg", "")})
        message = "; ".join(f"{p['parameter']}: {p['message']}" for p in problems)
        if is_api(request):
            return api_error(422, "invalid_parameter", message or "Invalid parameter.",
                             details=problems)
        return simple_page(request, 422, "Invalid request", message)


def api_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None,
    details: list[dict[str, str]] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)
