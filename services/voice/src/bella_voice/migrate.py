"""Alembic migrations of the ``voice`` schema, runnable from code and from the CLI.

``migrate(database_url)`` is idempotent, waits for PostgreSQL with tenacity,
and works whether or not the caller already runs an event loop (it uses a
private loop in a worker thread then).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import structlog
from alembic import command
from alembic.config import Config
from bella_core.databases import asyncpg_url
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tenacity import retry, stop_after_delay, wait_exponential

from bella_voice.models import SCHEMA

log = structlog.get_logger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Any) -> None:
    command.upgrade(_alembic_config(connection), "head")


@retry(wait=wait_exponential(multiplier=0.2, max=2), stop=stop_after_delay(30), reraise=True)
async def migrate_async(database_url: str) -> None:
    engine = create_async_engine(asyncpg_url(database_url))
    try:
        async with engine.begin() as conn:
            # Concurrent migrators (replicas starting together) take turns.
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('bella_voice_migrate'))")
            )
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
            await conn.run_sync(_upgrade)
    finally:
        await engine.dispose()
    log.info("voice.migrated")


class _Done:
    """Lets ``await migrate(url)`` work as well as ``migrate(url)``."""

    def __await__(self) -> Generator[None, None, None]:
        return
        yield


def migrate(database_url: str) -> _Done:
    """Bring the ``voice`` schema to the latest revision (idempotent).

    Call it plainly or await it, from sync code or inside an event loop (the
    work then runs on a private loop in a worker thread, blocking briefly).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(migrate_async(database_url))
        return _Done()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(migrate_async(database_url))
        except BaseException as exc:  # handed back to the calling thread
            errors.append(exc)

    worker = threading.Thread(target=run, name="bella-voice-migrate")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return _Done()
