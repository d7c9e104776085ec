"""Call records: calls, turns, call-backs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

S = "voice"


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("call_sid", sa.String(64), nullable=False, unique=True),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("from_phone", sa.String(32), nullable=False, server_default=""),
        sa.Column("to_phone", sa.String(32), nullable=False, server_default=""),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("duration_seconds", sa.Integer, nullable=False, server_default="0"),
        sa.Column("status", sa.String(32), nullable=False, server_default="in-progress"),
        sa.Column("outcome", sa.Integer, nullable=False, server_default="0"),
        sa.Column("wanted_booking", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("turn_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("trace_id", sa.String(40), nullable=False, server_default=""),
        sa.Column("appointment_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("in_progress", sa.Boolean, nullable=False, server_default="true"),
        schema=S,
    )
    op.create_index("ix_calls_clinic_started", "calls", ["clinic_id", "started_at"], schema=S)
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call_id", sa.String(36),
                  sa.ForeignKey(f"{S}.calls.id", ondelete="CASCADE"), nullable=False),
        sa.Column("index", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expect", sa.String(32), nullable=False, server_default=""),
        sa.Column("caller_text", sa.Text, nullable=False, server_default=""),
        sa.Column("asr_confidence", sa.Float, nullable=False, server_default="0"),
        sa.Column("understood_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("nlp_confidence", sa.Float, nullable=False, server_default="0"),
        sa.Column("bella_text", sa.Text, nullable=False, server_default=""),
        sa.Column("latency_ms", sa.Integer, nullable=False, server_default="0"),
        sa.Column("state", sa.String(32), nullable=False, server_default=""),
        sa.UniqueConstraint("call_id", "index", name="uq_turns_call_index"),
        schema=S,
    )
    op.create_table(
        "callbacks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("phone", sa.String(32), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.String(128), nullable=False, server_default=""),
        sa.UniqueConstraint("call_id", name="uq_callbacks_call"),
        schema=S,
    )
    op.create_index(
        "ix_callbacks_clinic_created", "callbacks", ["clinic_id", "created_at"], schema=S
    )


def downgrade() -> None:
    op.drop_table("callbacks", schema=S)
    op.drop_table("turns", schema=S)
    op.drop_table("calls", schema=S)
