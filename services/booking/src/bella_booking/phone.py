"""Phone numbers: everything stored and compared as E.164."""

from __future__ import annotations

import phonenumbers

from bella_booking.errors import InvalidArgument


def to_e164(raw: str, region: str = "CA") -> str:
    """Normalise any form phonenumbers understands (region CA by default) to E.164."""
    text = (raw or "").strip()
    if not text:
        raise InvalidArgument("A phone number is required.")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidArgument(
            "That phone number could not be read; give 10 digits, e.g. 416 555 0123."
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidArgument(
            "That is not a valid phone number; give 10 digits with the area code."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
