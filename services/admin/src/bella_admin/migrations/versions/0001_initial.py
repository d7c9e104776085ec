"""users, api_tokens, audit_log

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

S = "admin"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("totp_last_step", sa.BigInteger()),
        sa.Column("failed_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("role IN ('admin', 'staff')", name="users_role_check"),
        schema=S,
    )
    op.create_index("ix_users_clinic_id", "users", ["clinic_id"], schema=S)
    op.create_index("users_email_key", "users", [sa.text("lower(email)")], unique=True, schema=S)

    op.create_table(
        "api_tokens",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_by", postgresql.UUID(as_uuid=False),
                  sa.ForeignKey(f"{S}.users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("role IN ('admin', 'staff')", name="api_tokens_role_check"),
        schema=S,
    )
    op.create_index("ix_api_tokens_clinic_id", "api_tokens", ["clinic_id"], schema=S)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("clinic_id", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32)),
        sa.Column("target_id", sa.String(64)),
        sa.Column("client_ip", sa.String(64)),
        sa.Column("outcome", sa.String(16), nullable=False, server_default="ok"),
        sa.Column("detail", postgresql.JSONB(), nullable=False, server_default="{}"),
        schema=S,
    )
    op.create_index("audit_log_clinic_at", "audit_log", ["clinic_id", "at"], schema=S)


def downgrade() -> None:
    op.drop_table("audit_log", schema=S)
    op.drop_table("api_tokens", schema=S)
    op.drop_table("users", schema=S)
