"""Clinics, chairs, patients, appointments (no double booking) and the calendar outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

S = "booking"


def _ts(name: str, nullable: bool = False, default: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if default else None,
    )


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("time_zone", sa.Text, nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("phone_number", sa.String(16), nullable=False, unique=True),
        sa.Column("front_desk_number", sa.String(16), nullable=False, server_default=""),
        sa.Column("address", sa.Text, nullable=False, server_default=""),
        sa.Column("parking", sa.Text, nullable=False, server_default=""),
        sa.Column("insurance", sa.Text, nullable=False, server_default=""),
        sa.Column("config", pg.JSONB, nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        schema=S,
    )
    op.create_table(
        "chairs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("clinic_id", sa.String(40), sa.ForeignKey(f"{S}.clinics.id"), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("services", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.UniqueConstraint("clinic_id", "code", name="chairs_clinic_code_key"),
        schema=S,
    )
    op.create_table(
        "patients",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("clinic_id", sa.String(40), sa.ForeignKey(f"{S}.clinics.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.UniqueConstraint("clinic_id", "phone", name="patients_clinic_phone_key"),
        schema=S,
    )
    op.create_table(
        "appointments",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("clinic_id", sa.String(40), sa.ForeignKey(f"{S}.clinics.id"), nullable=False),
        sa.Column(
            "patient_id", pg.UUID(as_uuid=False), sa.ForeignKey(f"{S}.patients.id"), nullable=False
        ),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("chair_id", sa.Integer, sa.ForeignKey(f"{S}.chairs.id"), nullable=False),
        _ts("start_at", default=False),
        _ts("end_at", default=False),
        _ts("blocked_until", default=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="booked"),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("last_change_key", sa.String(200)),
        sa.Column("call_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("cancel_reason", sa.Text, nullable=False, server_default=""),
        _ts("created_at"),
        _ts("updated_at"),
        sa.UniqueConstraint("clinic_id", "idempotency_key", name="appointments_idempotency_key"),
        sa.CheckConstraint("end_at > start_at", name="appointments_end_after_start"),
        sa.CheckConstraint("blocked_until >= end_at", name="appointments_blocked_after_end"),
        sa.CheckConstraint(
            "status IN ('booked', 'cancelled', 'completed', 'no_show')",
            name="appointments_status",
        ),
        sa.CheckConstraint("source IN ('phone', 'admin')", name="appointments_source"),
        schema=S,
    )
    op.create_index(
        "appointments_clinic_start", "appointments", ["clinic_id", "start_at"], schema=S
    )
    op.create_index("appointments_patient", "appointments", ["patient_id", "start_at"], schema=S)
    # No double booking, enforced by PostgreSQL: no two booked appointments of one chair may
    # overlap (buffer included). btree_gist is not available everywhere (the embedded server
    # lacks it), so the chair equality is expressed as a degenerate int4range, which GiST
    # supports natively.
    op.execute(
        f"ALTER TABLE {S}.appointments ADD CONSTRAINT appointments_no_overlap "
        "EXCLUDE USING gist (int4range(chair_id, chair_id, '[]') WITH =, "
        "tstzrange(start_at, blocked_until) WITH &&) WHERE (status = 'booked')"
    )
    op.create_table(
        "calendar_outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("clinic_id", sa.String(40), nullable=False),
        sa.Column("appointment_id", pg.UUID(as_uuid=False), nullable=False),
        _ts("created_at"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        _ts("next_attempt_at"),
        _ts("locked_until", nullable=True, default=False),
        _ts("done_at", nullable=True, default=False),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.create_index(
        "calendar_outbox_pending",
        "calendar_outbox",
        ["next_attempt_at"],
        schema=S,
        postgresql_where=sa.text("done_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("calendar_outbox", schema=S)
    op.drop_table("appointments", schema=S)
    op.drop_table("patients", schema=S)
    op.drop_table("chairs", schema=S)
    op.drop_table("clinics", schema=S)
