"""The rules engine: one utterance in, every field out, using what the
assistant had just asked (``expect``) as context."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bella_nlp.cleaning import clean, sanitize, too_long
from bella_nlp.dates import extract_date, find_dates
from bella_nlp.intent import extract_intent
from bella_nlp.names import extract_name
from bella_nlp.phone import extract_phone
from bella_nlp.result import EXPECTS, Extraction
from bella_nlp.services import extract_service
from bella_nlp.temporal_text import temporal_form
from bella_nlp.times import extract_time
from bella_nlp.yesno import extract_confirm

DEFAULT_TZ = "America/Toronto"
_REPAIR_CUE = re.compile(r"\b(?:i mean|i meant|make that|or rather|rather,)", re.IGNORECASE)
_SAME_TIME = re.compile(
    r"\b(?:this|same|the same) time (?:next week|tomorrow)\b|"
    # "A week from today, same time": the time it is now, a day counted from today.
    r"\b(?:next week|tomorrow|a week (?:from )?today|a week from now|in a week|"
    r"(?:two|2) weeks (?:from )?today)[,.]?(?: at)?(?: the)? same time\b")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def local_now(now: dt.datetime | None, tz: str) -> dt.datetime:
    z = zone(tz)
    if now is None:
        return dt.datetime.now(z)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(z)


def extract(
    text: str, expect: str = "intent", now: dt.datetime | None = None, tz: str = DEFAULT_TZ
) -> Extraction:
    """Read one utterance. Never raises on odd input; oversize text gives an empty result."""
    result = Extraction()
    if not isinstance(text, str) or too_long(text):
        return result
    text = sanitize(text)
    if not text:
        return result
    expect = expect if expect in EXPECTS else "intent"
    cleaned = clean(text)
    result.cleaned_text = cleaned.text
    result.artifact_ratio = cleaned.artifact_ratio
    body = cleaned.text
    conf = result.confidence

    result.phone, conf.phone = extract_phone(text)
    result.name, conf.name = extract_name(body, expect)

    # Digits read out for a phone number are not times ("five fifty-five").
    if not (result.phone and expect in ("phone", "name")):
        when = local_now(now, tz)
        tform = temporal_form(body)
        result.date, conf.date = extract_date(tform, when)
        if result.date is None and _REPAIR_CUE.search(text):
            # "2:30 on Friday, I mean 3:30": a repair that corrected the time took the day
            # before it with it; the day said is still the day.
            raw_date, raw_conf = extract_date(temporal_form(text), when)
            if raw_date is not None and not find_dates(tform, when):
                result.date, conf.date = raw_date, raw_conf * 0.9
        result.time, result.part_of_day, conf.time, conf.part_of_day = extract_time(tform)
        if result.time is None and _SAME_TIME.search(tform):
            # "this time next week": the time it is now, on the clinic's clock.
            result.time, result.part_of_day = when.strftime("%H:%M"), None
            conf.time, conf.part_of_day = 0.7, 0.0

    service, service_conf = extract_service(body)
    if service_conf < 0.6 or (service_conf < 0.7 and expect not in ("service", "intent")):
        service, service_conf = None, 0.0
    result.service, conf.service = service, service_conf

    result.intent, conf.intent = extract_intent(body, result.service)
    if expect == "confirm":
        # Read before repair removal: "Hmm, no, make that 3:45" is a refusal (the repair would
        # drop the "no"), and the last cue wins anyway.
        result.confirm, conf.confirm = extract_confirm(text)
    return result
