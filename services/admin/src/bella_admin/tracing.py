"""Request spans without query strings.

The dashboard's search boxes are GET forms (`/patients?q=Tremblay`), so the
ASGI instrumentation's `http.url` / `http.target` would carry a patient's
name into X-Ray. The shared redaction masks phone numbers, not names, so
the query string is dropped from the server span here.
"""

from __future__ import annotations

from typing import Any

from bella_core.telemetry import Telemetry, instrument_fastapi
from opentelemetry.trace import Span

_URL_KEYS = ("http.url", "url.full")
_TARGET_KEYS = ("http.target",)
_QUERY_KEYS = ("url.query",)


def strip_query(span: Span, scope: dict[str, Any]) -> None:
    if span is None or not span.is_recording():
        return
    attributes = getattr(span, "attributes", None) or {}
    for key in _URL_KEYS:
        value = attributes.get(key)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(key, value.split("?", 1)[0])
    for key in _TARGET_KEYS:
        if key in attributes:
            span.set_attribute(key, scope.get("path", ""))
    for key in _QUERY_KEYS:
        if key in attributes:
            span.set_attribute(key, "")


def instrument_app(app: object, telemetry: Telemetry) -> None:
    """FastAPI server spans as every service has them, minus query strings and static files."""
    instrument_fastapi(app, telemetry, excluded_urls="healthz,readyz,static",
                       server_request_hook=strip_query)
