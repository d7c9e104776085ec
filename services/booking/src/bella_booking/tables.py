"""The ``booking`` schema as SQLAlchemy Core tables (the store uses Core, not the ORM,
to keep the booking path short). Alembic migrations create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

SCHEMA = "booking"
metadata = MetaData(schema=SCHEMA)

STATUSES = ("booked", "cancelled", "completed", "no_show")
SOURCES = ("phone", "admin")

clinics = Table(
    "clinics",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("time_zone", Text, nullable=False),
    Column("province", String(2), nullable=False),
    Column("phone_number", String(16), nullable=False, unique=True),
    Column("front_desk_number", String(16), nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    Column("parking", Text, nullable=False, server_default=""),
    Column("insurance", Text, nullable=False, server_default=""),
    # The validated ClinicConfig (services, hours with breaks, rules) as seeded.
    Column("config", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

chairs = Table(
    "chairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("clinic_id", String(40), ForeignKey("clinics.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("services", ARRAY(Text), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    UniqueConstraint("clinic_id", "code", name="chairs_clinic_code_key"),
)

patients = Table(
    "patients",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("clinic_id", String(40), ForeignKey("clinics.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("phone", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("clinic_id", "phone", name="patients_clinic_phone_key"),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("clinic_id", String(40), ForeignKey("clinics.id"), nullable=False),
    Column("patient_id", UUID(as_uuid=False), ForeignKey("patients.id"), nullable=False),
    Column("service", String(40), nullable=False),
    Column("chair_id", Integer, ForeignKey("chairs.id"), nullable=False),
    Column("start_at", DateTime(timezone=True), nullable=False),
    Column("end_at", DateTime(timezone=True), nullable=False),
    # end_at plus the clinic's buffer at booking time: the range the exclusion constraint guards.
    Column("blocked_until", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default="booked"),
    Column("source", String(16), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    # Fingerprint of the Book parameters, to refuse a reused key with other parameters.
    Column("request_hash", String(64), nullable=False),
    Column("last_change_key", String(200)),
    Column("call_id", String(100), nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("cancel_reason", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("clinic_id", "idempotency_key", name="appointments_idempotency_key"),
    CheckConstraint("end_at > start_at", name="appointments_end_after_start"),
    CheckConstraint("blocked_until >= end_at", name="appointments_blocked_after_end"),
    CheckConstraint(
        "status IN ('booked', 'cancelled', 'completed', 'no_show')", name="appointments_status"
    ),
    CheckConstraint("source IN ('phone', 'admin')", name="appointments_source"),
    Index("appointments_clinic_start", "clinic_id", "start_at"),
    Index("appointments_patient", "patient_id", "start_at"),
)

# The exclusion constraint itself lives in the migration (EXCLUDE is not a Core construct):
#   EXCLUDE USING gist (int4range(chair_id, chair_id, '[]') WITH =,
#                       tstzrange(start_at, blocked_until) WITH &&) WHERE (status = 'booked')
NO_OVERLAP_CONSTRAINT = "appointments_no_overlap"

calendar_outbox = Table(
    "calendar_outbox",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("clinic_id", String(40), nullable=False),
    Column("appointment_id", UUID(as_uuid=False), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Claimed by a worker until this instant (so two workers never push the same row at once).
    Column("locked_until", DateTime(timezone=True)),
    Column("done_at", DateTime(timezone=True)),
    Column("last_error", Text, nullable=False, server_default=""),
    Index(
        "calendar_outbox_pending",
        "next_attempt_at",
        postgresql_where=text("done_at IS NULL"),
    ),
)
