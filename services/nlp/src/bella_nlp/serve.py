"""`bella-nlp serve`: settings, logging, telemetry, Redis, server and graceful shutdown."""

from __future__ import annotations

import asyncio
import logging

import structlog
from bella_core.grpc_server import run_until_signalled
from bella_core.logging import configure_logging
from bella_core.settings import load_settings
from bella_core.telemetry import setup_telemetry
from redis.asyncio import Redis

from bella_nlp.server import start_server
from bella_nlp.settings import NlpSettings

log = structlog.get_logger("bella_nlp")


async def _serve(settings: NlpSettings) -> None:
    telemetry = setup_telemetry(
        "NLP", environment=settings.environment, console=settings.telemetry_console
    )
    redis = None
    if settings.redis_url:
        timeout = settings.nlp_cache_timeout_seconds * 4
        redis = Redis.from_url(
            settings.redis_url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
    try:
        server = await start_server(settings, telemetry, redis)
        log.info(
            "nlp.serving", port=server.port, cache=redis is not None, llm=settings.llm_enabled
        )
        hooks = [redis.aclose] if redis is not None else []  # type: ignore[attr-defined]
        await run_until_signalled(server, grace=settings.shutdown_grace_seconds, on_stop=hooks)
    finally:
        telemetry.shutdown()


def main() -> int:
    settings = load_settings(NlpSettings)
    configure_logging("nlp", settings.log_level)
    # Their DEBUG records carry request bodies, i.e. what the caller said.
    quiet = max(logging.INFO, logging.getLevelName(settings.log_level))
    for name in ("openai", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(quiet)
    try:
        asyncio.run(_serve(settings))
    except KeyboardInterrupt:
        pass
    return 0
