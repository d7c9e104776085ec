"""One normalised form of an utterance for the date and time parsers."""

from __future__ import annotations

import re

from bella_nlp.cleaning import strip_accents
from bella_nlp.numbers import words_to_digits

_APOS = re.compile(r"[\u2018\u2019\u02bc`´]")
_AMPM = re.compile(r"\b([ap])\.?\s?m\b\.?")
_SPACES = re.compile(r"\s+")
_ISH = re.compile(r"\b(\w+?)-?ish\b")
# "Monday's good", "Canada Day's a holiday": the day name itself, not a plural.
_DAY_IS = re.compile(r"\b(\w*day)'s\b")
# Long digit groups (phone numbers) must not be read as hours or days.
_PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def _mask_phone(m: re.Match[str]) -> str:
    return " # " if sum(c.isdigit() for c in m.group()) >= 7 else m.group()


_NUMBERISH = re.compile(
    r"\d{1,2}|noon|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)


def _ish(m: re.Match[str]) -> str:
    # "4ish" is a time said loosely: "around 4", which the time patterns read.
    stem = m.group(1)
    after_clock = m.start() > 0 and m.string[m.start() - 1] == ":"  # "3:30ish"
    return f"around {stem}" if _NUMBERISH.fullmatch(stem) and not after_clock else stem


def temporal_form(text: str) -> str:
    t = strip_accents(_APOS.sub("'", text)).lower()
    t = _PHONE_LIKE.sub(_mask_phone, t)
    t = _AMPM.sub(lambda m: f" {m.group(1)}m ", t)
    t = _ISH.sub(_ish, t)
    t = _DAY_IS.sub(r"\1", t)
    t = t.replace("'s ", "s ").replace("s' ", "s ")
    t = _SPACES.sub(" ", t)
    return words_to_digits(t).strip()
