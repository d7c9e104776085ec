"""The booking service's one settings class (variables prefixed ``BELLA_``)."""

from __future__ import annotations

from pathlib import Path

from bella_core.databases import asyncpg_url
from bella_core.settings import ServiceSettings
from pydantic import Field, ValidationInfo, field_validator


class BookingSettings(ServiceSettings):
    # PostgreSQL, any postgres:// form; normalised to SQLAlchemy's asyncpg URL.
    database_url: str
    booking_grpc_host: str = "0.0.0.0"
    booking_grpc_port: int = Field(default=50052, ge=0, le=65535)
    booking_db_pool_size: int = Field(default=10, ge=1, le=200)
    booking_db_max_overflow: int = Field(default=10, ge=0, le=200)
    booking_db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    # A query that takes longer than this is cancelled by PostgreSQL (statement_timeout).
    booking_db_statement_timeout_ms: int = Field(default=5000, ge=100)
    # How often PostgreSQL is pinged for the gRPC health status of bella.v1.BookingService.
    booking_db_health_interval_seconds: float = Field(default=5.0, gt=0)
    # Clinic configuration is cached in-process this long (seconds) after a read.
    booking_clinic_cache_seconds: float = Field(default=30.0, ge=0)
    # YAML clinic config for `bella-booking seed`; empty = the packaged demo clinics.
    booking_clinic_config: Path | None = None

    # Google Calendar sync: off unless a service-account JSON and at least one calendar are given.
    google_calendar_credentials_file: Path | None = None
    # JSON object {"<clinic_id>": "<calendar id>"}, e.g. {"toronto": "abc@group.calendar..."}
    google_calendar_ids: dict[str, str] = Field(default_factory=dict, validate_default=True)
    google_calendar_api_url: str = "https://www.googleapis.com/calendar/v3"
    # Overrides the token URI of the service-account file (tests point it at a local fake).
    google_calendar_token_uri: str | None = None
    google_calendar_poll_seconds: float = Field(default=2.0, gt=0)
    google_calendar_timeout_seconds: float = Field(default=10.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if not value:
            raise ValueError("required: a PostgreSQL URL such as postgresql://user@host/db")
        return asyncpg_url(value)

    @field_validator("google_calendar_credentials_file")
    @classmethod
    def _credentials_exist(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("google_calendar_ids")
    @classmethod
    def _both_or_neither(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        has_credentials = info.data.get("google_calendar_credentials_file") is not None
        if value and not has_credentials and "google_calendar_credentials_file" in info.data:
            raise ValueError("calendar ids given but BELLA_GOOGLE_CALENDAR_CREDENTIALS_FILE is not")
        if has_credentials and not value:
            raise ValueError('required with a credentials file, e.g. {"toronto": "<calendar id>"}')
        return value

    @property
    def calendar_enabled(self) -> bool:
        return self.google_calendar_credentials_file is not None and bool(self.google_calendar_ids)
