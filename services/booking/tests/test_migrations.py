"""The Alembic migrations build exactly the schema the code uses (tables.py)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from bella_booking.tables import SCHEMA, metadata
from bella_core.databases import asyncpg_url
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def test_migrated_schema_matches_the_tables(booking_database: str) -> None:
    engine = create_async_engine(asyncpg_url(booking_database))
    try:
        async with engine.connect() as conn:

            def diff(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(
                    sync_conn,
                    opts={
                        "include_schemas": True,
                        "include_name": lambda name, type_, parent: (
                            name == SCHEMA if type_ == "schema" else name != "alembic_version"
                        ),
                    },
                )
                return compare_metadata(context, metadata)

            changes = await conn.run_sync(diff)
            constraint = (
                await conn.execute(
                    text(
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conname = 'appointments_no_overlap'"
                    )
                )
            ).scalar_one()
            version_schema = (
                await conn.execute(
                    text(
                        "SELECT table_schema FROM information_schema.tables "
                        "WHERE table_name = 'alembic_version' AND table_schema = 'booking'"
                    )
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    assert changes == []
    assert constraint.startswith("EXCLUDE USING gist")
    assert "WHERE (((status)::text = 'booked'::text))" in constraint
    assert version_schema == "booking"
