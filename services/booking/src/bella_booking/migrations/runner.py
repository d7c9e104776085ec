"""Apply the booking migrations from code (tests, `bella-booking migrate`, the stack)."""

from __future__ import annotations

from pathlib import Path

import structlog
from alembic import command
from alembic.config import Config
from bella_core.databases import asyncpg_url
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

log = structlog.get_logger(__name__)

HERE = Path(__file__).parent
# Any constant: serialises concurrent `migrate` runs on one database (several services starting).
_LOCK_KEY = 0x0B0015


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    connection.execute(text("CREATE SCHEMA IF NOT EXISTS booking"))
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def migrate(database_url: str, revision: str = "head") -> None:
    """Bring the ``booking`` schema to ``revision``. Idempotent; any postgres:// URL form."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade, revision)
    finally:
        await engine.dispose()
    log.info("booking.migrated", revision=revision)


async def wait_for_database(database_url: str, wait_seconds: float = 60.0) -> None:
    """Return once PostgreSQL accepts a connection; raise after ``wait_seconds``."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async for attempt in AsyncRetrying(
            stop=stop_after_delay(wait_seconds),
            wait=wait_exponential(multiplier=0.2, max=3),
            retry=retry_if_exception_type(Exception),
            reraise=True,
        ):
            with attempt:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
