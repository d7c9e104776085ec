"""Alembic environment: runs on the connection handed over by bella_voice.migrate."""

from __future__ import annotations

from alembic import context

from bella_voice.models import SCHEMA, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table_schema=SCHEMA,
    include_schemas=True,
)
with context.begin_transaction():
    context.run_migrations()
