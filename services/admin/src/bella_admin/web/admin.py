"""Admin-only pages: the audit log, users and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from bella_admin.passwords import PasswordPolicyError, generate_password
from bella_admin.timefmt import parse_date, range_bounds
from bella_admin.users import ROLES, UserError
from bella_admin.web.common import AdminCtx, check_csrf

router = APIRouter(dependencies=[Depends(check_csrf)])


@router.get("/audit")
async def audit_page(
    ctx: AdminCtx, action: str = "", before: int | None = None, date_from: str = "",
    date_to: str = "",
) -> Response:
    zone = await ctx.zone()
    first, last = parse_date(date_from), parse_date(date_to)
    since = until = None
    if first or last:
        since, until = range_bounds(first or last, last or first, zone)  # type: ignore[arg-type]
    entries = await ctx.deps.audit.page(
        ctx.clinic_id, action=action.strip()[:64], before_id=before, since=since, until=until
    )
    return await ctx.render(
        "audit.html", entries=entries, action=action, date_from=date_from, date_to=date_to,
        older=entries[-1].id if len(entries) == 50 else None, nav="audit",
    )


@router.get("/users")
async def users_page(ctx: AdminCtx) -> Response:
    users = await ctx.deps.users.list(ctx.clinic_id)
    return await ctx.render("users.html", users=users, roles=ROLES, nav="users",
                            temporary=None)


async def _target(ctx: AdminCtx, user_id: str) -> str:
    user = await ctx.deps.users.get(user_id, ctx.clinic_id)
    if user is None:
        from bella_admin.clients import NotFound

        raise NotFound("User not found.")
    return user.id


@router.post("/users")
async def user_create(
    ctx: AdminCtx,
    email: Annotated[str, Form(max_length=254)],
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    temporary = generate_password()
    try:
        user = await ctx.deps.users.create(
            clinic_id=ctx.clinic_id, email=email, role=role, password=temporary,
            must_change_password=True,
        )
    except (UserError, PasswordPolicyError) as exc:
        await ctx.flash(str(exc))
        return RedirectResponse("/users", status_code=303)
    await ctx.deps.audit.record(ctx.actor, "user.create", target_type="user",
                                target_id=user.id, role=role)
    users = await ctx.deps.users.list(ctx.clinic_id)
    return await ctx.render(
        "users.html", users=users, roles=ROLES, nav="users",
        temporary={"email": user.email, "password": temporary},
    )


@router.post("/users/{user_id}/role")
async def user_role(
    ctx: AdminCtx, user_id: str, role: Annotated[str, Form(max_length=16)]
) -> Response:
    target = await _target(ctx, user_id)
    if target == ctx.session.user_id and role != "admin":
        await ctx.flash("You cannot remove your own admin role.")
        return RedirectResponse("/users", status_code=303)
    try:
        await ctx.deps.users.set_role(target, role)
    except UserError as exc:
        await ctx.flash(str(exc))
        return RedirectResponse("/users", status_code=303)
    # Sessions carry the role: end them so the new role applies at once.
    await ctx.deps.sessions.destroy_all_for_user(target)
    await ctx.deps.audit.record(ctx.actor, "user.role", target_type="user", target_id=target,
                                role=role)
    await ctx.flash("Role changed.")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/reset")
async def user_reset(ctx: AdminCtx, user_id: str) -> Response:
    target = await _target(ctx, user_id)
    temporary = await ctx.deps.users.reset_password(target)
    await ctx.deps.sessions.destroy_all_for_user(
        target, keep=ctx.session_id if target == ctx.session.user_id else None
    )
    await ctx.deps.audit.record(ctx.actor, "user.password_reset", target_type="user",
                                target_id=target)
    user = await ctx.deps.users.get(target)
    users = await ctx.deps.users.list(ctx.clinic_id)
    return await ctx.render(
        "users.html", users=users, roles=ROLES, nav="users",
        temporary={"email": user.email if user else "", "password": temporary},
    )


@router.post("/users/{user_id}/unlock")
async def user_unlock(ctx: AdminCtx, user_id: str) -> Response:
    target = await _target(ctx, user_id)
    await ctx.deps.users.unlock(target)
    await ctx.deps.audit.record(ctx.actor, "user.unlock", target_type="user", target_id=target)
    await ctx.flash("Account unlocked.")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/sessions/end")
async def user_sessions_end(ctx: AdminCtx, user_id: str) -> Response:
    target = await _target(ctx, user_id)
    ended = await ctx.deps.sessions.destroy_all_for_user(
        target, keep=ctx.session_id if target == ctx.session.user_id else None
    )
    await ctx.deps.audit.record(ctx.actor, "user.sessions_end", target_type="user",
                                target_id=target, ended=ended)
    await ctx.flash(f"Ended {ended} session(s).")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/totp-reset")
async def user_totp_reset(ctx: AdminCtx, user_id: str) -> Response:
    target = await _target(ctx, user_id)
    await ctx.deps.users.disable_totp(target)
    await ctx.deps.sessions.destroy_all_for_user(target)
    await ctx.deps.audit.record(ctx.actor, "user.totp_reset", target_type="user",
                                target_id=target)
    await ctx.flash("Two-step sign-in removed; the user can enrol again from Account.")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/disabled")
async def user_disable(
    ctx: AdminCtx, user_id: str, disabled: Annotated[str, Form(max_length=5)]
) -> Response:
    target = await _target(ctx, user_id)
    off = disabled == "true"
    if target == ctx.session.user_id and off:
        await ctx.flash("You cannot disable your own account.")
        return RedirectResponse("/users", status_code=303)
    await ctx.deps.users.set_disabled(target, off)
    if off:
        await ctx.deps.sessions.destroy_all_for_user(target)
    await ctx.deps.audit.record(
        ctx.actor, "user.disable" if off else "user.enable", target_type="user", target_id=target
    )
    await ctx.flash("Account disabled." if off else "Account enabled.")
    return RedirectResponse("/users", status_code=303)


@router.get("/tokens")
async def tokens_page(ctx: AdminCtx) -> Response:
    tokens = await ctx.deps.tokens.list(ctx.clinic_id)
    return await ctx.render("tokens.html", tokens=tokens, created=None, nav="tokens")


@router.post("/tokens")
async def token_create(
    ctx: AdminCtx,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=16)] = "staff",
) -> Response:
    if role not in ROLES:
        role = "staff"
    secret, row = await ctx.deps.tokens.create(
        clinic_id=ctx.clinic_id, name=name, role=role, created_by=ctx.session.user_id
    )
    await ctx.deps.audit.record(ctx.actor, "token.create", target_type="token",
                                target_id=row.id, role=role)
    tokens = await ctx.deps.tokens.list(ctx.clinic_id)
    return await ctx.render("tokens.html", tokens=tokens, created=secret, nav="tokens")


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(ctx: AdminCtx, token_id: str) -> Response:
    if await ctx.deps.tokens.revoke(ctx.clinic_id, token_id):
        await ctx.deps.audit.record(ctx.actor, "token.revoke", target_type="token",
                                    target_id=token_id)
        await ctx.flash("Token revoked.")
    return RedirectResponse("/tokens", status_code=303)
