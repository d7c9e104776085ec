"""Alembic migrations for the ``booking`` schema, and :func:`migrate` to apply them."""

from __future__ import annotations

from bella_booking.migrations.runner import migrate, wait_for_database

__all__ = ["migrate", "wait_for_database"]
