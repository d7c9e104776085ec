"""A user's own account: change password, enrol or remove TOTP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from bella_admin.passwords import PasswordPolicyError
from bella_admin.users import new_totp_secret, totp_uri
from bella_admin.web.common import UserCtx, check_csrf

router = APIRouter(dependencies=[Depends(check_csrf)])


@router.get("/account")
async def account(ctx: UserCtx) -> Response:
    user = await ctx.deps.users.get(ctx.session.user_id)
    sessions = await ctx.deps.sessions.count_for_user(ctx.session.user_id)
    return await ctx.render("account.html", user=user, sessions=sessions, nav="account")


@router.get("/account/password")
async def password_form(ctx: UserCtx) -> Response:
    return await ctx.render("password.html", error="", forced=ctx.session.must_change_password,
                            nav="account")


@router.post("/account/password")
async def password_change(
    ctx: UserCtx,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    confirm: Annotated[str, Form(max_length=1024)],
) -> Response:
    user = await ctx.deps.users.get(ctx.session.user_id)
    assert user is not None
    error = ""
    if not await ctx.deps.users.check_password(user.id, current):
        error = "Your current password did not match."
        ctx.deps.metrics.security("password_change_refused")
    elif new != confirm:
        error = "The two new passwords differ."
    elif new == current:
        error = "Choose a password different from the current one."
    else:
        try:
            await ctx.deps.users.set_password(user.id, new, must_change=False)
        except PasswordPolicyError as exc:
            error = str(exc)
    if error:
        return await ctx.render("password.html", error=error,
                                forced=ctx.session.must_change_password, nav="account",
                                status_code=422)
    # Every other session of this user ends (ASVS 5.0 7.4.3); this one continues.
    await ctx.deps.sessions.destroy_all_for_user(user.id, keep=ctx.session_id)
    ctx.session.must_change_password = False
    await ctx.deps.audit.record(ctx.actor, "user.password_change", target_type="user",
                                target_id=user.id)
    await ctx.flash("Password changed.")
    return RedirectResponse("/today", status_code=303)


@router.get("/account/totp")
async def totp_enrol_form(ctx: UserCtx) -> Response:
    # The candidate secret waits in Redis (10 minutes) until the user proves their app has it.
    key = f"admin:totp-enrol:{ctx.session.user_id}"
    raw = await ctx.deps.redis.get(key)
    secret = (raw.decode() if isinstance(raw, bytes) else str(raw)) if raw else new_totp_secret()
    await ctx.deps.redis.set(key, secret, ex=600)
    return await ctx.render("totp_enrol.html", secret=secret,
                            uri=totp_uri(secret, ctx.session.email), error="", nav="account")


@router.post("/account/totp")
async def totp_enrol(
    ctx: UserCtx,
    code: Annotated[str, Form(max_length=16)],
    current: Annotated[str, Form(max_length=1024)],
) -> Response:
    raw = await ctx.deps.redis.get(f"admin:totp-enrol:{ctx.session.user_id}")
    if raw is None:
        await ctx.flash("The enrolment expired; start again.")
        return RedirectResponse("/account/totp", status_code=303)
    secret = raw.decode() if isinstance(raw, bytes) else str(raw)
    # Changing a factor needs the password again (ASVS 5.0 7.5.1).
    if not await ctx.deps.users.check_password(ctx.session.user_id, current):
        ctx.deps.metrics.security("reauthentication_failed")
        return await ctx.render("totp_enrol.html", secret=secret,
                                uri=totp_uri(secret, ctx.session.email),
                                error="Your password did not match.", nav="account",
                                status_code=422)
    if not await ctx.deps.users.enable_totp(ctx.session.user_id, secret, code):
        return await ctx.render("totp_enrol.html", secret=secret,
                                uri=totp_uri(secret, ctx.session.email),
                                error="That code did not match; try the next one.",
                                nav="account", status_code=422)
    await ctx.deps.redis.delete(f"admin:totp-enrol:{ctx.session.user_id}")
    await ctx.deps.sessions.destroy_all_for_user(ctx.session.user_id, keep=ctx.session_id)
    await ctx.deps.audit.record(ctx.actor, "user.totp_enrol", target_type="user",
                                target_id=ctx.session.user_id)
    await ctx.flash("Two-step sign-in is on. You will be asked for a code at each sign-in.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/totp/remove")
async def totp_remove(
    ctx: UserCtx, current: Annotated[str, Form(max_length=1024)]
) -> Response:
    user = await ctx.deps.users.get(ctx.session.user_id)
    assert user is not None
    if not await ctx.deps.users.check_password(user.id, current):
        await ctx.flash("Your password did not match; two-step sign-in is still on.")
        return RedirectResponse("/account", status_code=303)
    await ctx.deps.users.disable_totp(user.id)
    await ctx.deps.sessions.destroy_all_for_user(user.id, keep=ctx.session_id)
    await ctx.deps.audit.record(ctx.actor, "user.totp_remove", target_type="user",
                                target_id=user.id)
    await ctx.flash("Two-step sign-in removed.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/end")
async def end_other_sessions(
    ctx: UserCtx, current: Annotated[str, Form(max_length=1024)]
) -> Response:
    """Sign out every other browser of this user (ASVS 5.0 7.5.2), after the password."""
    if not await ctx.deps.users.check_password(ctx.session.user_id, current):
        ctx.deps.metrics.security("reauthentication_failed")
        await ctx.flash("Your password did not match; nothing was changed.")
        return RedirectResponse("/account", status_code=303)
    ended = await ctx.deps.sessions.destroy_all_for_user(ctx.session.user_id,
                                                         keep=ctx.session_id)
    await ctx.deps.audit.record(ctx.actor, "user.sessions_end", target_type="user",
                                target_id=ctx.session.user_id, ended=ended)
    await ctx.flash(f"Signed out {ended} other session(s).")
    return RedirectResponse("/account", status_code=303)
