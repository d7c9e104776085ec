"""Sign-in (password, then TOTP when enrolled) and sign-out."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bella_admin.users import LoginOutcome
from bella_admin.web.common import (
    TEMPLATES,
    DepsDep,
    SessionDep,
    WebSession,
    check_csrf,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
)

log = structlog.get_logger(__name__)
router = APIRouter()
LOCKED_MESSAGE = "Too many failed sign-ins. Try again in {minutes} minutes or ask an administrator."
BAD_MESSAGE = "Wrong email or password."


def _safe_next(value: str | None) -> str:
    # Only same-site paths: never an open redirect to another host.
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/today"


async def _anonymous(request: Request, deps: DepsDep, web: WebSession) -> tuple[str, str, bool]:
    """The pre-login session holding the login form's CSRF token: (id, csrf, created)."""
    if web.session is not None and web.id is not None:
        return web.id, web.session.csrf, False
    session_id, session = await deps.sessions.create()
    return session_id, session.csrf, True


@router.get("/login")
async def login_form(
    request: Request, deps: DepsDep, web: SessionDep, next: str = "", expired: str = ""
) -> Response:
    if web.session is not None and web.session.authenticated:
        return RedirectResponse(_safe_next(next), status_code=303)
    session_id, csrf, created = await _anonymous(request, deps, web)
    message = "Your session ended; please sign in again." if expired else ""
    response = TEMPLATES.TemplateResponse(
        request, "login.html",
        {"csrf": csrf, "next": _safe_next(next), "error": "", "info": message, "s": None},
    )
    if created:
        set_session_cookie(response, deps, session_id)
    return response


@router.post("/login", dependencies=[Depends(check_csrf)])
async def login(
    request: Request,
    deps: DepsDep,
    web: SessionDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "",
) -> Response:
    ip = client_ip(request, deps)
    result = await deps.users.authenticate(email, password, ip)
    deps.metrics.login(result.outcome.value)
    user = result.user
    if result.outcome in (LoginOutcome.BAD_CREDENTIALS, LoginOutcome.LOCKED):
        if result.newly_locked:
            deps.metrics.security("lockout")
        elif result.outcome is LoginOutcome.LOCKED:
            deps.metrics.security("locked_attempt")
        await _audit_failure(deps, email, ip, result.outcome, result.newly_locked)
        message = (
            LOCKED_MESSAGE.format(minutes=deps.settings.admin_lockout_window_minutes)
            if result.outcome is LoginOutcome.LOCKED else BAD_MESSAGE
        )
        assert web.session is not None
        return TEMPLATES.TemplateResponse(
            request, "login.html",
            {"csrf": web.session.csrf, "next": _safe_next(next), "error": message,
             "info": "", "email": email, "s": None},
            status_code=429 if result.outcome is LoginOutcome.LOCKED else 401,
        )
    assert user is not None
    # A new session id at sign-in, the pre-login one destroyed (ASVS 5.0 7.2.4).
    if web.id is not None:
        await deps.sessions.destroy(web.id, web.session)
    session_id, _ = await deps.sessions.create(
        user_id=user.id, clinic_id=user.clinic_id, email=user.email, role=user.role,
        mfa_pending=result.outcome is LoginOutcome.TOTP_REQUIRED,
        must_change_password=user.must_change_password,
    )
    if result.outcome is LoginOutcome.TOTP_REQUIRED:
        target = "/login/totp?next=" + _safe_next(next)
    else:
        await deps.audit.record_raw(
            clinic_id=user.clinic_id, actor_id=user.id, actor=user.email, action="login",
            client_ip=ip, target_type="user", target_id=user.id,
        )
        target = "/account/password" if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, deps, session_id)
    return response


async def _audit_failure(
    deps: DepsDep, email: str, ip: str, outcome: LoginOutcome, newly_locked: bool
) -> None:
    user = await deps.users.by_email(email) if "@" in email else None
    if user is None:
        # Unknown accounts belong to no clinic's log; the structured log keeps the event.
        log.info("admin.login_failed", outcome=outcome.value, known_account=False)
        return
    await deps.audit.record_raw(
        clinic_id=user.clinic_id, actor_id=user.id, actor=user.email,
        action="login.locked" if newly_locked or outcome is LoginOutcome.LOCKED else "login",
        client_ip=ip, target_type="user", target_id=user.id, outcome="failure",
    )


@router.get("/login/totp")
async def totp_form(request: Request, web: SessionDep, next: str = "") -> Response:
    if web.session is None or not web.session.mfa_pending:
        return RedirectResponse("/login", status_code=303)
    return TEMPLATES.TemplateResponse(
        request, "totp.html",
        {"csrf": web.session.csrf, "next": _safe_next(next), "error": "", "s": None},
    )


@router.post("/login/totp", dependencies=[Depends(check_csrf)])
async def totp_submit(
    request: Request,
    deps: DepsDep,
    web: SessionDep,
    code: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form()] = "",
) -> Response:
    session = web.session
    if session is None or not session.mfa_pending or web.id is None:
        return RedirectResponse("/login", status_code=303)
    ip = client_ip(request, deps)
    if await deps.throttle.locked(session.email, ip):
        deps.metrics.login("locked")
        await deps.sessions.destroy(web.id, session)
        return RedirectResponse("/login", status_code=303)
    if not await deps.users.verify_totp(session.user_id, code):
        deps.metrics.login("totp_failure")
        deps.metrics.security("totp_failure")
        # Wrong codes count towards the same lock-out as wrong passwords.
        await deps.throttle.record_failure(session.email, ip)
        await deps.audit.record_raw(
            clinic_id=session.clinic_id, actor_id=session.user_id, actor=session.email,
            action="login.totp", client_ip=ip, outcome="failure",
        )
        return TEMPLATES.TemplateResponse(
            request, "totp.html",
            {"csrf": session.csrf, "next": _safe_next(next), "error": "That code did not match.",
             "s": None},
            status_code=401,
        )
    deps.metrics.login("success")
    await deps.sessions.destroy(web.id, session)
    session_id, _ = await deps.sessions.create(
        user_id=session.user_id, clinic_id=session.clinic_id, email=session.email,
        role=session.role, must_change_password=session.must_change_password,
    )
    await deps.audit.record_raw(
        clinic_id=session.clinic_id, actor_id=session.user_id, actor=session.email,
        action="login", client_ip=ip, target_type="user", target_id=session.user_id,
        detail={"factor": "totp"},
    )
    target = "/account/password" if session.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, deps, session_id)
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
async def logout(request: Request, deps: DepsDep, web: SessionDep) -> Response:
    if web.id is not None and web.session is not None:
        await deps.sessions.destroy(web.id, web.session)
        if web.session.user_id:
            await deps.audit.record_raw(
                clinic_id=web.session.clinic_id, actor_id=web.session.user_id,
                actor=web.session.email, action="logout", client_ip=client_ip(request, deps),
            )
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, deps)
    return response
