"""Tables of the ``voice`` schema: calls, their turns, and call-back requests."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA = "voice"
metadata = MetaData(schema=SCHEMA)

calls = Table(
    "calls",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("call_sid", String(64), nullable=False, unique=True),
    Column("clinic_id", String(64), nullable=False),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("from_phone", String(32), nullable=False, server_default=""),
    Column("to_phone", String(32), nullable=False, server_default=""),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("duration_seconds", Integer, nullable=False, server_default="0"),
    Column("status", String(32), nullable=False, server_default="in-progress"),
    Column("outcome", Integer, nullable=False, server_default="0"),
    Column("wanted_booking", Boolean, nullable=False, server_default="false"),
    Column("turn_count", Integer, nullable=False, server_default="0"),
    Column("trace_id", String(40), nullable=False, server_default=""),
    Column("appointment_id", String(64), nullable=False, server_default=""),
    Column("in_progress", Boolean, nullable=False, server_default="true"),
    Index("ix_calls_clinic_started", "clinic_id", "started_at"),
)

turns = Table(
    "turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_id", String(36), ForeignKey(f"{SCHEMA}.calls.id", ondelete="CASCADE"),
           nullable=False),
    Column("index", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("expect", String(32), nullable=False, server_default=""),
    Column("caller_text", Text, nullable=False, server_default=""),
    Column("asr_confidence", Float, nullable=False, server_default="0"),
    Column("understood_json", Text, nullable=False, server_default="{}"),
    Column("nlp_confidence", Float, nullable=False, server_default="0"),
    Column("bella_text", Text, nullable=False, server_default=""),
    Column("latency_ms", Integer, nullable=False, server_default="0"),
    Column("state", String(32), nullable=False, server_default=""),
    UniqueConstraint("call_id", "index", name="uq_turns_call_index"),
)

callbacks = Table(
    "callbacks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(64), nullable=False),
    Column("call_id", String(36), nullable=False, server_default=""),
    Column("name", Text, nullable=False, server_default=""),
    Column("phone", String(32), nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved", Boolean, nullable=False, server_default="false"),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(128), nullable=False, server_default=""),
    # One call-back request per call: a retried webhook must not file a second one.
    UniqueConstraint("call_id", name="uq_callbacks_call"),
    Index("ix_callbacks_clinic_created", "clinic_id", "created_at"),
)
