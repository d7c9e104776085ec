"""bella-admin: serve the dashboard, migrate, create users, seed the demo accounts.

    bella-admin [serve]
    bella-admin migrate
    bella-admin create-user --clinic toronto --email a@b.ca --role admin [--password-stdin]
    bella-admin seed-demo
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from bella_core.logging import configure_logging
from bella_core.settings import load_settings

from bella_admin.settings import AdminSettings


def _serve(settings: AdminSettings) -> None:
    if not settings.redis_url:
        print("configuration error: BELLA_REDIS_URL: required to serve the dashboard",
              file=sys.stderr)
        raise SystemExit(2)
    asyncio.run(_serve_async(settings))


async def _serve_async(settings: AdminSettings) -> None:
    import uvicorn
    from bella_core.telemetry import instrument_redis, setup_telemetry

    from bella_admin.app import AdminDeps, create_app

    telemetry = setup_telemetry(
        "Admin", environment=settings.environment, console=settings.telemetry_console
    )
    instrument_redis(telemetry)
    deps = await AdminDeps.open(settings, telemetry)
    app = create_app(settings, deps)
    config = uvicorn.Config(
        app, host=settings.admin_http_host, port=settings.admin_http_port,
        log_config=None, access_log=False, proxy_headers=False, server_header=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await deps.close()
        telemetry.shutdown()


def _migrate(settings: AdminSettings) -> None:
    from bella_admin.migrate import migrate

    migrate(settings.database_url)
    print("admin schema is up to date")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("error: the passwords differ", file=sys.stderr)
        raise SystemExit(1)
    return first


async def _create_user(settings: AdminSettings, args: argparse.Namespace) -> None:
    from bella_core.databases import asyncpg_url
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from bella_admin.passwords import PasswordPolicyError
    from bella_admin.users import UserError, Users

    await _warn_unknown_clinic(settings, args.clinic)
    password = _read_password(args.password_stdin)
    engine = create_async_engine(asyncpg_url(settings.database_url), pool_size=1)
    try:
        users = Users(async_sessionmaker(engine, expire_on_commit=False), None,  # type: ignore[arg-type]
                      lock_minutes=settings.admin_lockout_window_minutes)
        user = await users.create(clinic_id=args.clinic, email=args.email, role=args.role,
                                  password=password)
    except (UserError, PasswordPolicyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        await engine.dispose()
    print(f"created {user.role} {user.email} for clinic {user.clinic_id}")


async def _warn_unknown_clinic(settings: AdminSettings, clinic_id: str) -> None:
    """Refuse a clinic booking does not know; only warn when booking is not running."""
    from bella_admin.clients import BackendError, Backends, InvalidArgument, NotFound

    backends = Backends.connect(settings.booking_address, settings.voice_address, 2.0)
    try:
        await backends.booking.get_clinic(clinic_id)
    except (NotFound, InvalidArgument):
        print(f"error: booking knows no clinic {clinic_id!r}", file=sys.stderr)
        raise SystemExit(1) from None
    except BackendError:
        print(f"warning: booking is not answering; clinic {clinic_id!r} not checked",
              file=sys.stderr)
    finally:
        await backends.close()


async def _seed_demo(settings: AdminSettings) -> None:
    from bella_admin.seed import DEMO_PASSWORD, seed_demo

    if settings.environment == "production":
        print("error: seed-demo refuses to create demo accounts in production", file=sys.stderr)
        raise SystemExit(1)
    results = await seed_demo(settings.database_url)
    print(f"Demo logins (password for each: {DEMO_PASSWORD}):")
    for user, created in results:
        note = "" if created else " (already there; password unchanged if you changed it)"
        print(f"  {user.clinic_id:<9} {user.role:<5} {user.email}{note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bella-admin", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the dashboard and the REST API (default)")
    sub.add_parser("migrate", help="apply the admin schema's migrations")
    create = sub.add_parser("create-user", help="create a dashboard user")
    create.add_argument("--clinic", required=True, help="clinic id, e.g. toronto")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=("admin", "staff"), default="staff")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of stdin")
    sub.add_parser("seed-demo", help="create the demo users (not in production)")
    args = parser.parse_args(argv)

    settings = load_settings(AdminSettings)
    configure_logging("Admin", settings.log_level)
    command = args.command or "serve"
    if command == "serve":
        _serve(settings)
    elif command == "migrate":
        _migrate(settings)
    elif command == "create-user":
        asyncio.run(_create_user(settings, args))
    elif command == "seed-demo":
        asyncio.run(_seed_demo(settings))


if __name__ == "__main__":
    main()
