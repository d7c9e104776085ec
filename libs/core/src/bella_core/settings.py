"""Typed settings shared by every service.

Each service subclasses :class:`ServiceSettings`; every variable is prefixed
``BELLA_``. :func:`load_settings` turns a validation error into one line per
bad variable and exits, so a misconfigured container says what is wrong
instead of printing a traceback.
"""

from __future__ import annotations

import sys
from typing import Any, Literal, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "staging", "production"]


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BELLA_",
        env_file=None,
        extra="ignore",
        frozen=True,
    )

    environment: Environment = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Print spans and metrics to the console (development aid; OTEL_* variables still apply).
    telemetry_console: bool = False
    # Seconds given to in-flight requests on SIGTERM before the process exits.
    shutdown_grace_seconds: float = 10.0


S = TypeVar("S", bound=BaseSettings)


def format_validation_error(cls: type[BaseSettings], exc: ValidationError) -> list[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    lines = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "?"
        var = f"{prefix}{field}".upper()
        value = err.get("input")
        shown = "" if isinstance(value, dict) or value is None else f" (got {str(value)[:40]!r})"
        lines.append(f"configuration error: {var}: {err['msg']}{shown}")
    return lines


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Build settings from the environment or exit with one clear line per bad variable."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        for line in format_validation_error(cls, exc):
            print(line, file=sys.stderr)
        raise SystemExit(2) from None
