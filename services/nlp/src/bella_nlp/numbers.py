"""Spoken numbers: "oh" for zero, "double five", "triple", "six forty-seven",
ordinal words, and hour/minute pairs such as "two fifteen"."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
MULTIPLIERS = {"double": 2, "triple": 3}

_UNIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_HOUR_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_TEEN_WORDS = "|".join(TEENS)
_TENS_WORDS = "|".join(TENS)
_ORD_UNIT_WORDS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"

# "two fifteen", "ten thirty", "ten oh five", "three forty-five"
_HOUR_MINUTE = re.compile(
    rf"\b(?P<h>{_HOUR_WORDS})[ -](?P<m>oh[ -](?:{_UNIT_WORDS})|(?:{_TENS_WORDS})"
    rf"(?:[ -](?:{_UNIT_WORDS}))?|(?:{_TEEN_WORDS}))\b(?![ -](?:days?|weeks?|minutes?|hours?))"
)
_CARDINAL = re.compile(
    rf"\b(?:(?P<tens>{_TENS_WORDS})(?:[ -](?P<unit>{_UNIT_WORDS}))?|(?P<teen>{_TEEN_WORDS})"
    rf"|(?P<single>zero|{_UNIT_WORDS}))\b"
)
_ORDINAL = re.compile(
    rf"\b(?:(?P<tens>twenty|thirty)[ -](?P<unit>{_ORD_UNIT_WORDS})|(?P<plain>"
    + "|".join(ORDINALS)
    + r"))\b"
)
_MONTH_BEFORE = re.compile(
    r"(?:\bthe|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+$"
)
_OF_AFTER = re.compile(r"^\s+of\b")


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _word_value(word: str) -> int:
    word = word.replace("-", " ")
    parts = word.split()
    if len(parts) == 2 and parts[0] == "oh":
        return UNITS[parts[1]]
    total = 0
    for p in parts:
        total += UNITS.get(p, 0) + TEENS.get(p, 0) + TENS.get(p, 0)
    return total


def _hour_minute(m: re.Match[str]) -> str:
    return f"{_word_value(m.group('h'))}:{_word_value(m.group('m')):02d}"


def _cardinal(m: re.Match[str]) -> str:
    if m.group("tens"):
        return str(TENS[m.group("tens")] + (UNITS[m.group("unit")] if m.group("unit") else 0))
    if m.group("teen"):
        return str(TEENS[m.group("teen")])
    return str(UNITS[m.group("single")])


def _ordinal_sub(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _ORDINAL.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 5]
        if not (_MONTH_BEFORE.search(before) or _OF_AFTER.match(after)):
            continue
        if m.group("tens"):
            n = (20 if m.group("tens") == "twenty" else 30) + ORDINALS[m.group("unit")]
        else:
            n = ORDINALS[m.group("plain")]
        out.append(text[pos : m.start()])
        out.append(f"{n}{_suffix(n)}")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def words_to_digits(text: str) -> str:
    """Lower-case text with number words turned into digits for date and time parsing.

    "two fifteen" -> "2:15", "ten days" -> "10 days", "the twenty-first" -> "the 21st".
    """
    text = _ordinal_sub(text)
    text = _HOUR_MINUTE.sub(_hour_minute, text)
    return _CARDINAL.sub(_cardinal, text)
