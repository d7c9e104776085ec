"""bella-voice: serve | migrate | call | twilio-setup.

``serve`` (the default) runs the Twilio webhooks (uvicorn, BELLA_VOICE_HTTP_PORT)
and the CallRecordService (gRPC, BELLA_VOICE_GRPC_PORT) in one process and
stops both gracefully on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Generator

import structlog
import uvicorn
from bella_core.settings import load_settings


class _Server(uvicorn.Server):
    # Our own handler stops uvicorn and gRPC together; uvicorn must not re-raise the signal.
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def _serve() -> None:
    from bella_core.grpc_server import install_shutdown_handler
    from bella_core.logging import configure_logging
    from bella_core.telemetry import (
        instrument_httpx,
        instrument_redis,
        instrument_sqlalchemy,
        setup_telemetry,
    )

    from bella_voice.callrecord_service import start_call_record_server
    from bella_voice.service import build_runtime
    from bella_voice.settings import VoiceSettings
    from bella_voice.webhooks import flush_pending_callbacks

    settings = load_settings(VoiceSettings)
    configure_logging("Voice", settings.log_level)
    log = structlog.get_logger("bella_voice")
    telemetry = setup_telemetry("Voice", environment=settings.environment,
                                console=settings.telemetry_console)
    instrument_redis(telemetry)
    instrument_httpx(telemetry)
    runtime = build_runtime(settings, telemetry)
    instrument_sqlalchemy(runtime.records.engine, telemetry)
    if not settings.twilio_validate_signatures:
        log.warning("!!! TWILIO SIGNATURE VALIDATION IS OFF !!!",
                    detail="BELLA_TWILIO_VALIDATE_SIGNATURES=false; never do this in production")
    elif not settings.twilio_auth_token:
        log.warning("twilio.auth_token.missing",
                    detail="BELLA_TWILIO_AUTH_TOKEN is empty: every webhook will get 403")

    grpc_server = await start_call_record_server(settings, telemetry, runtime.records)
    server = _Server(uvicorn.Config(runtime.app, host=settings.host,
                                    port=settings.voice_http_port, log_config=None,
                                    access_log=False, lifespan="off"))
    stop = install_shutdown_handler()

    async def flush_loop() -> None:
        while True:
            await asyncio.sleep(10)
            with contextlib.suppress(Exception):
                await flush_pending_callbacks(runtime.deps.store, runtime.records)

    health = runtime.deps.metrics.system_health
    watcher = None
    if health is not None:  # SystemHealth: share of dependencies answering, every 15 s
        watcher = asyncio.create_task(health.watch({
            "postgres": runtime.records.ping, "redis": runtime.deps.store.ping,
            **runtime.deps.peers}), name="system-health")
    http_task = asyncio.create_task(server.serve(), name="uvicorn")
    flusher = asyncio.create_task(flush_loop(), name="callback-flush")
    log.info("voice.started", http_port=settings.voice_http_port, grpc_port=grpc_server.port,
             public_base_url=settings.public_base_url)
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({http_task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    log.info("shutdown.requested", grace_seconds=settings.shutdown_grace_seconds)
    server.should_exit = True
    with contextlib.suppress(Exception):
        await asyncio.wait_for(http_task, settings.shutdown_grace_seconds)
    await grpc_server.stop(settings.shutdown_grace_seconds)
    flusher.cancel()
    if watcher is not None:
        watcher.cancel()
    await runtime.close()
    telemetry.shutdown()
    log.info("shutdown.done")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bella-voice", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the webhooks and the call-record gRPC service (default)")
    sub.add_parser("migrate", help="apply the voice schema migrations (idempotent)")
    call = sub.add_parser("call", help="a phone in the terminal, speaking Twilio's protocol")
    call.add_argument("--base-url", required=True, help="where the voice service listens")
    call.add_argument("--from", dest="from_number", default="+14165550199")
    call.add_argument("--to", dest="to_number", default="+16475550100")
    call.add_argument("--script", help="file of caller lines (else type them)")
    call.add_argument("--auth-token", help="default: BELLA_TWILIO_AUTH_TOKEN")
    call.add_argument("--public-base-url",
                      help="URL the signature is computed on (default: BELLA_PUBLIC_BASE_URL "
                           "when set, else --base-url)")
    setup = sub.add_parser("twilio-setup",
                           help="point a Twilio number's webhooks at BELLA_PUBLIC_BASE_URL")
    setup.add_argument("--number", required=True, help="the Twilio number, E.164")
    args = parser.parse_args(argv)

    if args.command in (None, "serve"):
        asyncio.run(_serve())
        return
    from bella_voice.settings import VoiceSettings

    if args.command == "migrate":
        from bella_voice.migrate import migrate

        settings = load_settings(VoiceSettings)
        migrate(settings.database_url)
        print("voice schema is up to date")
    elif args.command == "call":
        from bella_voice.softphone import run_cli

        sys.exit(asyncio.run(run_cli(args)))
    elif args.command == "twilio-setup":
        from bella_voice.twilio_setup import configure_number

        settings = load_settings(VoiceSettings)
        if not (settings.twilio_account_sid and settings.twilio_auth_token):
            print("configuration error: BELLA_TWILIO_ACCOUNT_SID and BELLA_TWILIO_AUTH_TOKEN "
                  "are required", file=sys.stderr)
            sys.exit(2)
        result = configure_number(settings, args.number)
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
