"""Alembic environment: always run from :func:`bella_booking.migrations.migrate`, which
hands over an open connection (so the async engine and the URL stay in one place)."""

from __future__ import annotations

from alembic import context

from bella_booking.tables import SCHEMA, metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - guarded by the runner
    raise RuntimeError("run migrations through bella_booking.migrations.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table_schema=SCHEMA,
    include_schemas=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
