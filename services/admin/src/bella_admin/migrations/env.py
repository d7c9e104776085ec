"""Alembic environment: async (asyncpg), version table in schema ``admin``."""

from __future__ import annotations

import asyncio

from alembic import context
from bella_admin.models import SCHEMA, Base
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=SCHEMA,
        include_schemas=True,
    )
    with context.begin_transaction():
        # Two migrators starting together (compose, make run) queue here instead of racing.
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('bella_admin_migrate'))"))
        context.run_migrations()


async def _main() -> None:
    url = str(config.attributes.get("url") or config.get_main_option("sqlalchemy.url"))
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run)
            await conn.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
asyncio.run(_main())
