"""Keeps personal health information out of logs and telemetry.

Telemetry carries opaque ids only. This is the last line of defence: code
should not log names, phone numbers or what callers said in the first
place, but if it does, the value is masked here before it leaves the process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

# Keys whose values are personal information whatever they hold.
SENSITIVE_KEYS = frozenset(
    {
        "name", "patient_name", "caller_name", "first_name", "last_name", "full_name",
        "phone", "from", "from_phone", "to_phone", "caller", "caller_id", "patient_phone",
        "text", "utterance", "speech", "speech_result", "speechresult", "transcript",
        "caller_text", "cleaned_text", "body", "password", "token", "otp", "secret",
        "notes", "reason", "digits", "callsid", "call_sid",
        # A query string may be a dashboard search for a patient ("?q=Tremblay").
        "url.query",
    }
)

# In dotted span-attribute keys ("bella.caller.phone") the last segment decides, but generic
# segments such as "name" or "body" are left alone there: "db.name" or "rpc.method" are not PII.
_GENERIC_SEGMENTS = frozenset({"name", "text", "body", "reason", "token", "from"})
_SEGMENT_KEYS = SENSITIVE_KEYS - _GENERIC_SEGMENTS

# Anything that looks like a phone number: 7+ digits with optional separators, optionally
# after "+" or its URL-encoded form. ISO dates (2026-11-26) are not phone numbers.
_PHONE = re.compile(
    r"(?:(?<![\w%-])\+|%2[bB]|(?<![\w-]))(?!\d{4}-\d{2}-\d{2}(?!\d))\d(?:[\s().-]*\d){6,14}(?![\w-])"
)
# key=value pairs inside free text and query strings ("From=%2B1647...&SpeechResult=...").
_KEY_VALUE = re.compile(
    r"(?i)(?<![\w.])(" + "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True)) + r")=([^&\s;,]+)"
)
_NON_DIGIT = re.compile(r"\D+")
REDACTED = "[redacted]"


def scrub_text(value: str) -> str:
    # Span attributes repeat (SQL statements, routes, RPC names): remember recent answers.
    if len(value) <= _CACHED_UP_TO:
        return _scrub_cached(value)
    return _scrub(value)


_CACHED_UP_TO = 4096


@lru_cache(maxsize=1024)
def _scrub_cached(value: str) -> str:
    return _scrub(value)


def _scrub(value: str) -> str:
    # Runs on every span attribute and log field: skip the expensive patterns when they
    # cannot match (no "key=value", fewer than 7 digits in the whole string).
    if "=" in value:
        value = _KEY_VALUE.sub(lambda m: f"{m.group(1)}={REDACTED}", value)
    if len(value) < 7 or len(_NON_DIGIT.sub("", value)) < 7:
        return value
    return _PHONE.sub(REDACTED, value)


def _normal(key: str) -> str:
    return key.lower().replace("-", "_")


def scrub_value(key: str, value: Any) -> Any:
    if _normal(key) in SENSITIVE_KEYS:
        return REDACTED if value not in (None, "") else value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {k: scrub_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub_value(key, v) for v in value)
    return value


def scrub_mapping(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: scrub_value(k, v) for k, v in data.items()}


@lru_cache(maxsize=4096)
def is_sensitive_attribute(key: str) -> bool:
    """Span/metric attribute keys are dotted; the whole key or its last segment may name PII."""
    normal = _normal(key)
    return normal in SENSITIVE_KEYS or normal.rsplit(".", 1)[-1] in _SEGMENT_KEYS


def scrub_attribute_value(key: str, value: Any) -> Any:
    """OTel attribute values are primitives or homogeneous sequences of them."""
    if is_sensitive_attribute(key):
        if isinstance(value, list | tuple):
            return tuple(REDACTED for _ in value)
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list | tuple) and value and isinstance(value[0], str):
        return tuple(scrub_text(v) for v in value)
    return value


def scrub_attributes(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: scrub_attribute_value(k, v) for k, v in (attributes or {}).items()}
