"""One normalised form of an utterance for the date and time parsers."""

from __future__ import annotations

import re

from bella_nlp.cleaning import strip_accents
from bella_nlp.numbers import TEENS, TENS, UNITS, words_to_digits

_APOS = re.compile(r"[\u2018\u2019\u02bc`´]")
_AMPM = re.compile(r"\b([ap])\.?\s?m\b\.?")
# "Tomorrow a.m.", "Friday PM", "in the a.m.": a.m./p.m. with no hour names a part of day
# (a bare "am" is the verb, so only the dotted form or "pm").
_BARE_AMPM = re.compile(r"(?<![\d\s])(\s*)\b(?:(a)\.\s?m\b\.?|(p)\.?\s?m\b\.?)")
_POD_OF_AMPM = {"a": "morning", "p": "afternoon"}


_CLOCK_WORDS = frozenset({*UNITS, *TEENS, *TENS, "o'clock", "oclock", "sharp", "noon"})


def _bare_ampm(m: re.Match[str]) -> str:
    before = m.string[max(0, m.start() - 16) : m.start()].split()
    last = before[-1].strip(",-") if before else ""
    if last[-1:].isdigit() or last in _CLOCK_WORDS or last.split("-")[-1] in _CLOCK_WORDS:
        return m.group()  # "eleven a.m.", "ten thirty p.m.", "9 o'clock a.m."
    return f"{m.group(1)}{_POD_OF_AMPM[m.group(2) or m.group(3)]}"
_SPACES = re.compile(r"\s+")
_ISH = re.compile(r"\b(\w+?)-?ish\b")
# "Monday's good", "Canada Day's a holiday": the day name itself, not a plural.
_DAY_IS = re.compile(r"\b(\w*day)'s\b")
# "Halloween's a Saturday": "is", so the weekday reads as a fact about the day.
_IS_A_DAY = re.compile(r"'s (a|an|on a) (?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)")
# "a quarter 'til 3": the clipped word.
_CLIPPED = re.compile(r"(?<![\w'])'(til+|bout)\b")
# "half-past ten", "quarter-to-three".
_HYPHEN_PAST = re.compile(r"\b(half|quarter)-(past|to|after|til|till|of)(?:-|\b)")
# "Canada Day's the day before": "is", a fact about the day, not a day asked for.
_DAY_IS_THE = re.compile(r"\b(\w*day)'s (?=the (?:day|\w+day|one) (?:before|after)\b)")
# "Christmas's", "Halloween's": the holiday itself.
_HOLIDAY_IS = re.compile(r"\b(christmas|xmas|hallowe?en|easter|thanksgiving)'s\b")
# "Good morning, I'd like ... Wednesday": a greeting opening the call names no part of day.
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|oh|um|uh|yes|yeah)(?: there)?\b[\s,.!]*)*"
    r"good (?:morning|afternoon|evening|day)\b(?! (?:is|works|would|suits|please|then)\b)[\s,.!]*"
)
# "The first one", "the second option": a pick among the slots just offered, not the 1st of a
# month or 1 o'clock (the conversation reads the pick).
_PICK = re.compile(r"\b(?:the )?(?:first|second|third|1st|2nd|3rd) (?:one|option|choice|slot)\b")
# Someone else named before a day or time ("and my husband might come Thursday"): a side
# remark, unless the caller defers to them ("my wife says 10 is better"). Dates and times
# both set such mentions aside.
RELATIVES = (r"husband|wife|son|daughter|kids?|children|partner|mom|mum|mother|dad|father|sister"
             r"|brother|boyfriend|girlfriend|hubby|grand(?:son|daughter|kids?)|friend|roommate")
DEFER = re.compile(r"\b(?:says?|said|thinks?|prefers?|wants?|suggest\w*|rather|better|best"
                   r"|instead|how about|what about)\b")
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


_ORDINAL_WORDS = (r"(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth"
                  r"|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
                  r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
                  r"|eighteenth|nineteenth|twentieth|thirtieth)")
# "Friday fourteenth", "the 20th, no, twenty-first": an ordinal word that is a day of the month.
_WD_ORDINAL = re.compile(r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)day),? (?=" + _ORDINAL_WORDS
                         + r"\b(?! (?:week|time|thing|one|appointment|slot|floor)))")
_REPAIR_ORDINAL = re.compile(r"\b(no|sorry|actually|or|mean|rather),? (?=(?:(?:twenty|thirty)[- ]"
                             r"\w+|\w+teenth|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
                             r"|eleventh|twelfth|twentieth|thirtieth)\b(?! (?:week|time|one)))")


def temporal_form(text: str) -> str:
    t = strip_accents(_APOS.sub("'", text)).lower()
    t = _GREETING.sub("", t)
    t = _PICK.sub(" ", t)
    t = _PHONE_LIKE.sub(_mask_phone, t)
    t = _BARE_AMPM.sub(_bare_ampm, t)
    t = _AMPM.sub(lambda m: f" {m.group(1)}m ", t)
    t = _ISH.sub(_ish, t)
    t = _CLIPPED.sub(r"\1", t)
    t = _HYPHEN_PAST.sub(r"\1 \2 ", t)
    t = _WD_ORDINAL.sub(r"\1 the ", t)
    t = _REPAIR_ORDINAL.sub(r"\1, the ", t)
    t = _IS_A_DAY.sub(r" is \1 ", t)
    t = _DAY_IS_THE.sub(r"\1 is ", t)
    t = _DAY_IS.sub(r"\1", t)
    t = _HOLIDAY_IS.sub(r"\1", t)
    t = t.replace("'s ", "s ").replace("s' ", "s ")
    t = _SPACES.sub(" ", t)
    return words_to_digits(t).strip()
