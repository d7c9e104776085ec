"""Keeps personal health information out of logs and telemetry.

Telemetry carries opaque ids only. This is the last line of defence: code
should not log names, phone numbers or what callers said in the first
place, but if it does, the value is masked here before it leaves the process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Keys whose values are personal information whatever they hold.
SENSITIVE_KEYS = frozenset(
    {
        "name", "patient_name", "caller_name", "first_name", "last_name", "full_name",
        "phone", "from", "from_phone", "to_phone", "caller", "caller_id", "patient_phone",
        "text", "utterance", "speech", "speech_result", "speechresult", "transcript",
        "caller_text", "cleaned_text", "body", "password", "token", "otp", "secret",
        "notes", "reason", "digits",
    }
)

# Anything that looks like a phone number: 7+ digits with optional separators.
_PHONE = re.compile(r"(?<![\w-])\+?\d(?:[\s().-]*\d){6,14}(?![\w-])")
REDACTED = "[redacted]"


def scrub_text(value: str) -> str:
    return _PHONE.sub(REDACTED, value)


def scrub_value(key: str, value: Any) -> Any:
    if key.lower().replace("-", "_") in SENSITIVE_KEYS:
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
