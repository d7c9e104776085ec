"""`bella-booking [serve] | migrate | seed [--config FILE]`: settings, telemetry, database,
servicer and graceful shutdown wired in one place."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import structlog
from bella_core.logging import configure_logging
from bella_core.settings import load_settings

from bella_booking.settings import BookingSettings

log = structlog.get_logger("bella_booking")


async def _migrate(settings: BookingSettings, wait_seconds: float) -> None:
    from bella_booking.migrations import migrate, wait_for_database

    await wait_for_database(settings.database_url, wait_seconds=wait_seconds)
    await migrate(settings.database_url)


async def _seed(settings: BookingSettings, config: Path | None) -> None:
    from bella_booking.seed import seed

    await seed(settings.database_url, config or settings.booking_clinic_config)


async def _serve(settings: BookingSettings) -> None:
    from bella_core.grpc_server import run_until_signalled
    from bella_core.telemetry import setup_telemetry

    from bella_booking.migrations import wait_for_database
    from bella_booking.server import start_server

    telemetry = setup_telemetry(
        "Booking", environment=settings.environment, console=settings.telemetry_console
    )
    try:
        await wait_for_database(settings.database_url, wait_seconds=60)
        server = await start_server(settings, telemetry)
        log.info("booking.serving", port=server.port)
        await run_until_signalled(server, grace=settings.shutdown_grace_seconds)
    finally:
        telemetry.shutdown()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bella-booking", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the gRPC server (default)")
    migrate_cmd = sub.add_parser("migrate", help="apply database migrations (waits for the DB)")
    migrate_cmd.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the DB")
    seed_cmd = sub.add_parser("seed", help="upsert clinic configuration (demo clinics by default)")
    seed_cmd.add_argument("--config", type=Path, default=None, help="clinics YAML file")
    args = parser.parse_args(argv)

    settings = load_settings(BookingSettings)
    configure_logging("booking", settings.log_level)
    command = args.command or "serve"
    try:
        if command == "migrate":
            asyncio.run(_migrate(settings, args.wait))
        elif command == "seed":
            asyncio.run(_seed(settings, args.config))
        else:
            asyncio.run(_serve(settings))
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        if command == "serve":
            raise
        print(f"bella-booking {command} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
