"""Dates callers say, resolved against the moment they spoke in the clinic's zone:
"tomorrow", "next Friday", "a week from Monday", "the 3rd", "March 1st",
"the day after Family Day", "the Tuesday after the long weekend".

Later mentions win ("Friday, no, Thursday"); mentions after "not" are dropped
("the 14th, not the 4th"); ranges ("between Christmas and New Year's") give
no single date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bella_nlp import holidays_ca
from bella_nlp.temporal_text import DEFER, RELATIVES

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "weds": 2,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Abbreviations recognition writes ("Tues", "Thurs", "Wed"); not "sat"/"sun"/"mon" (words).
_WD = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|tue|weds|wed|thurs"
       r"|thur|thu|fri)")
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november"
        r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_ORD = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)"
_COUNT = r"a|an|one|two|\d+|a couple of|a few"
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "couple of": 2, "a couple of": 2, "few": 3,
        "a few": 3}
# Before "the early hours" end, "tomorrow" still means the coming daytime.
EARLY_HOURS_END = 5


@dataclass
class DateMention:
    start: int
    end: int
    date: dt.date | None
    confidence: float
    kind: str = ""
    # The Monday of a week named without a day ("next week", "the week after Labour Day").
    week: dt.date | None = None
    # The first and last day of a span named without a day ("the long weekend").
    span: tuple[dt.date, dt.date] | None = None


def _n(value: str) -> int:
    value = value.strip()
    return _NUM[value] if value in _NUM else int(value)


def _add_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _day_of_month(today: dt.date, day: int, weekday: int | None) -> dt.date | None:
    """Next date on or after today with that day (and weekday, when one was said)."""
    year, month = today.year, today.month
    fallback: dt.date | None = None
    for _ in range(14):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            d = None
        if d is not None and d >= today:
            if weekday is None or d.weekday() == weekday:
                return d
            if fallback is None:
                fallback = d
        year, month = _add_month(year, month)
    return fallback


def _month_day(today: dt.date, month: int, day: int) -> dt.date | None:
    for year in (today.year, today.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None
        if d >= today:
            return d
    return None


_NTH = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4,
        "fourth": 4, "last": -1}


def _nth_weekday_of_month(today: dt.date, nth: str, weekday: int, month: int) -> dt.date:
    n = _NTH[nth]
    for year in (today.year, today.year + 1):
        if n > 0:
            d = holidays_ca.nth_weekday(year, month, weekday, n)
        else:
            y2, m2 = _add_month(year, month)
            d = dt.date(y2, m2, 1) - dt.timedelta(days=1)
            d -= dt.timedelta(days=(d.weekday() - weekday) % 7)
        if d >= today:
            return d
    return d


def _weekday_ahead(today: dt.date, weekday: int, allow_today: bool = False) -> dt.date:
    days = (weekday - today.weekday()) % 7
    if days == 0 and not allow_today:
        days = 7
    return today + dt.timedelta(days=days)


_TOLD = re.compile(r"\b(?:told|said|says|supposed to|recommended|should|come back|coming back"
                   r"|return|recall)\b")


def _add_months(d: dt.date, n: int) -> dt.date:
    year, month = d.year, d.month
    for _ in range(n):
        year, month = _add_month(year, month)
    last = (dt.date(*_add_month(year, month), 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


_RANGE = re.compile(r"\bbetween\b[^.?!]{0,40}?\band\b")
_NOT = re.compile(
    r"(?:\bnot|\binstead of|\brather than|\bexcept|\bbut|\bother than|\bexcluding)\s+"
    r"(?:on\s+)?(?:the\s+)?(?:a\s+)?$"
)
# "I can't do Wednesday", "we couldn't make Friday": a day ruled out.
_CANT = re.compile(r"\b(?:can'?t|cannot|can not|couldn'?t|won'?t be able to) (?:do|make(?: it)?"
                   r"|come(?: in)?|manage)(?: on| for)?\s+(?:the\s+)?$")
_A_WEEKDAY = re.compile(r"\b(?:thats|that is|its|it is|is|was|be|falls on|lands on|fall on"
                        r"|\d(?:st|nd|rd|th)|have|got|there|any|open) a\s+$"
                        r"|\b(?:any|every|each|every other)\s+$")
_PAST = re.compile(r"(?:\blast|\bsince|\bago|\bwas|\bon)\s*$")

# Order matters: longer, more specific patterns first; a span used once is not reused.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "the weekend of the 3rd": two days, not one.
    ("weekend_of", re.compile(r"\b(?:the )?(?:long )?weekend of (?:the )?" + _ORD + r"\b")),
    ("this_week_wd", re.compile(r"\b(?P<wd>" + _WD + r"),? (?:of )?this week\b|\bthis week,? "
                                r"(?:on )?(?:the )?(?P<wd2>" + _WD + r")")),
    # "this time next week": the same time, seven days on (the time is read by the extractor).
    ("same_time", re.compile(r"\b(?:this|same|the same) (?:time|day) (?P<when>next week"
                             r"|tomorrow)\b")),
    # "tomorrow week": a week from tomorrow.
    ("tomorrow_week", re.compile(r"\btomorrow week\b")),
    ("week_after_next_wd", re.compile(r"\b(?:the )?week after next,? (?:on )?(?:the )?(?P<wd>"
                                      + _WD + r")")),
    ("next_week_wd", re.compile(r"\b(?:next|the following) week,? (?:on )?(?:the )?(?P<wd>"
                                + _WD + r")|\b(?P<wd2>" + _WD + r"),? (?:of )?next week")),
    # "the week of the 18th, the Wednesday": that weekday in the week holding the date.
    ("week_of_day", re.compile(r"\b(?:the )?week of (?:the )?(?P<day>[0-3]?\d)(?:st|nd|rd|th)"
                               r"(?:,? (?:on |like |say |maybe )?(?:the )?(?P<wd>" + _WD + r"))?")),
    # "the first week of February, like the Tuesday": that weekday's nth occurrence.
    ("week_of_month", re.compile(
        r"\b(?:the )?(?P<nth>1st|first|2nd|second|3rd|third|4th|fourth|last) week (?:of|in) "
        r"(?P<mon>" + _MON + r")(?:,? (?:like |maybe |say |on |probably )?(?:the )?(?P<wd>"
        + _WD + r"))?")),
    # "next month, the first week, Tuesday", "the 2nd week of next month".
    ("week_of_rel_month", re.compile(
        r"\b(?:(?P<rel>next|this) month,? (?:the |in the )?(?P<nth>1st|first|2nd|second|3rd|third"
        r"|4th|fourth|last) week|(?:the )?(?P<nth2>1st|first|2nd|second|3rd|third|4th|fourth|last)"
        r" week (?:of|in) (?P<rel2>next|this|the) month)(?:,? (?:like |maybe |say |on |probably )?"
        r"(?:the )?(?P<wd>" + _WD + r"))?")),
    ("range_week", re.compile(r"\b(?:sometime |early |later |late |mid )?(?:in )?(?:the )?"
                              r"(?:next|this|following) week(?!\s*,?\s*(?:on )?(?:the )?"
                              + _WD + r")|\bweek after next(?!\s*,?\s*(?:on )?(?:the )?" + _WD
                              + r")")),
    # "Monday through Wednesday", "Monday to Friday": a span of days, not one.
    ("wd_range", re.compile(r"\b(?:from )?(?P<wd>" + _WD + r")s? (?:through|thru|to|till|until|-)"
                            r" (?P<wd2>" + _WD + r")s?\b")),
    # "two Fridays from now": the second Friday ahead.
    ("wd_count", re.compile(r"\b(?P<n>a|one|two|[1-4]) (?P<wd>" + _WD + r")s? from "
                            r"(?:now|today)\b")),
    # "End of the month. The last Friday": the month's last one (not "last Friday", past).
    ("last_wd", re.compile(r"\bthe last (?P<wd>" + _WD + r")\b(?! (?:in|of|before|after)\b)")),
    ("offset_from", re.compile(r"\b(?P<n>" + _COUNT + r") (?P<unit>days?|weeks?|fortnights?)"
                               r" (?:from|after) (?P<base>today|now|tomorrow|" + _WD + r")")),
    # "two weeks today", "a week Monday": the Canadian/British short form.
    ("offset_from", re.compile(r"\b(?P<n>" + _COUNT + r") (?P<unit>weeks?|fortnights?) (?:on )?"
                               r"(?P<base>today|tomorrow|" + _WD + r")\b")),
    # "two days before Christmas", "a week after the 3rd": counted from the date that follows.
    ("offset_rel", re.compile(r"\b(?P<n>" + _COUNT + r") (?P<unit>days?|weeks?|fortnights?)"
                              r" (?P<rel>before|after|from)(?= )")),
    ("in_offset", re.compile(r"\b(?:in|after) (?P<n>" + _COUNT + r") "
                             r"(?P<unit>days?|weeks?|fortnights?)"
                             r"(?: time)?\b")),
    # "a month from today", "in six months": the same day of the month (or its last day).
    ("month_offset", re.compile(r"\b(?P<n>a|one|\d{1,2}) months? (?:from|after) (?P<base>today"
                                r"|now|tomorrow)\b|\bin (?P<n2>a|one|\d{1,2}) months?(?:'? time)?\b"
                                r"(?! or so|ish| or two)")),
    # "next month, the 10th", "the 28th of this month".
    ("day_of_rel_month", re.compile(
        r"\b(?P<rel>next|this|the following) month,? (?:on )?(?:the )?(?P<day>[0-3]?\d)"
        r"(?:st|nd|rd|th)|\b(?:the )?(?P<day2>[0-3]?\d)(?:st|nd|rd|th) (?:of )?"
        r"(?P<rel2>next|this|the following) month")),
    # "the last day of the month", "the last day of next month", "the last day of February".
    ("last_day", re.compile(r"\bthe (?:very )?last (?:business |working )?day of (?:the |this )?"
                            r"(?P<mon>next month|month|" + _MON + r")\b")),
    ("nth_wd_of_month", re.compile(
        r"\b(?:the )?(?P<nth>1st|first|2nd|second|3rd|third|4th|fourth|last) (?P<wd>" + _WD
        + r") (?:in|of) (?P<mon>" + _MON + r"|(?:the|this|next) month|the new year)\b")),
    ("day_after_tomorrow", re.compile(r"\b(?:the )?day after (?:tomorrow\b|next\b(?! (?:week|month"
                                      r"|year|" + _WD + r")))")),
    ("wd_month_day", re.compile(r"\b(?P<wd>" + _WD + r"),? (?:the )?(?P<mon>" + _MON + r")"
                                r"\.? (?:the )?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:)")),
    ("wd_day_of_month", re.compile(r"\b(?P<wd>" + _WD + r"),? (?:then,? )?(?:the )?" + _ORD
                                   + r" of (?P<mon>" + _MON + r")\b")),
    ("month_day", re.compile(r"\b(?P<mon>" + _MON + r")\.? (?:the )?(?P<day>[0-3]?\d)"
                             r"(?:st|nd|rd|th)?\b(?!:|\s?[ap]m\b| o'?clock|-\d)")),
    # "15 December", "on 3 March", "the 15 of December": the day without its suffix.
    ("day_of_month_name", re.compile(
        r"\b(?:(?:the|on) )?(?P<day>[0-3]?\d) (?:of )?(?P<mon>january|february|march|april|june"
        r"|july|august|september|october|november|december)\b"
        r"|\b(?:the|on) (?P<day2>[0-3]?\d) of may\b")),
    ("day_of_month_name", re.compile(r"\b(?:the )?" + _ORD + r" (?:of )?(?P<mon>" + _MON
                                     + r")\b")),
    ("wd_day", re.compile(r"\b(?P<wd>" + _WD + r"),? (?:then,? )?(?:the )?" + _ORD + r"\b")),
    ("day", re.compile(r"\b(?:the|on|for) " + _ORD + r"\b(?! (?:week|weekend|time|floor|grade"
                       r"|visit|appointment|one)\b)")),
    # "On the 23": recognition left off the suffix.
    ("day", re.compile(r"\bon the (?P<day>[12]\d|3[01]|[1-9])\b(?![:.]\d|\s?(?:[ap]m|o'?clock"
                       r"|of (?:us|them)|people|kids|minutes?|hours?|days?|weeks?|percent)\b)")),
    ("holiday_rel", re.compile(
        r"\b(?:(?P<dayrel>the day (?:after|before))|(?:the )?(?P<wd>" + _WD + r")s?,? "
        r"(?:right |just )?(?P<wdrel>after|before))"
        r" (?:the )?(?P<hol>" + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r"|long weekend)"
        r"(?P<wkend> (?:long )?weekend)?")),
    ("after_long_weekend", re.compile(r"\bafter the long weekend\b")),
    # "the Friday of the Labour Day weekend", "the Saturday of the long weekend".
    ("holiday_weekend_wd", re.compile(
        r"\bthe (?P<wd>" + _WD + r") (?:of|on|over|during) (?:the |this )?(?P<hol>"
        + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r") (?P<wkend>(?:long )?weekend)")),
    # "August long weekend, the Friday": a holiday named by its weekend.
    ("holiday_weekend_wd", re.compile(
        r"\b(?P<hol>(?:may|august) long weekend|may (?:two[- ]four|2[- ]?4) weekend"
        r"|(?:the )?long weekend in (?:may|august))(?P<wkend>),? (?:on )?(?:the )?(?P<wd>"
        + _WD + r")")),
    ("holiday_weekend_wd", re.compile(
        r"\b(?P<hol>" + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r") (?:long )?weekend,?"
        r" (?:on )?(?:the )?(?P<wd>" + _WD + r")")),
    ("holiday_week_wd", re.compile(
        r"\b(?:the )?week (?P<rel>after|of|before) (?:the )?(?P<hol>"
        + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r")(?: (?:long )?weekend)?,? (?:on )?(?:the )?"
        r"(?P<wd>" + _WD + r")")),
    # "the week after Christmas": a week, not a day.
    ("holiday_week", re.compile(
        r"\b(?:the )?week (?P<rel>after|of|before) (?:the )?(?P<hol>"
        + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r")")),
    # "the Christmas holidays", "Easter break": a season, not a day.
    ("holiday_season", re.compile(
        r"\b(?P<hol>" + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r") (?:holidays?|break|season"
        r"|vacation|time|period|rush)\b")),
    # "during March break": a holiday that is a week (holidays_ca.WEEKS), not a day.
    ("holiday_week", re.compile(r"\b(?P<hol>march break|spring break)\b(?! week)")),
    # "Christmas week", "Thanksgiving week": the week the holiday falls in.
    ("holiday_week", re.compile(
        r"\b(?P<hol>" + holidays_ca.HOLIDAY_RE.pattern[5:-3] + r") week\b(?!end)")),
    ("long_weekend_wd", re.compile(
        r"\bthe (?P<wd>" + _WD + r") (?:of|on|over|during|before|after) (?:the |this |next )?long"
        r" weekend\b|\b(?:the |this |next )?long weekend,? (?:on )?the (?P<wd2>" + _WD + r")\b")),
    # "The long weekend's coming up. The Tuesday after it": an anchor, not a day.
    ("long_weekend", re.compile(r"\b(?:the |this |next )?long weekends?\b")),
    # "Civic Holiday Monday", "Thanksgiving Monday": the weekday names the holiday itself.
    ("holiday", re.compile(holidays_ca.HOLIDAY_RE.pattern[:-2] + r"(?: " + _WD + r")?\b")),
    # "Thursday, not this one but next", "This Thursday? No, next.": the same day a week on.
    ("next_one", re.compile(r"\b(?<!after )(?:but |no,? |the |it'?s )?next(?: one| 1)?"
                            r"(?=\s*(?:[,.?!;]|$))")),
    # "the Tuesday after," / "the day after, July 2nd": after the date just mentioned.
    # "the Friday after this one": next week's.
    ("wd_after_this", re.compile(r"\bthe (?P<wd>" + _WD + r") after (?:this|this coming|the coming"
                                 r"|this next) (?:one|1|week)\b")),
    # "the 16th to the 20th, so the week before": a week next to the date just said.
    ("anaphor_week", re.compile(r"\bthe week (?P<rel>before|after)(?: (?:that|it|then))?"
                                r"(?=\s*(?:[,.?!;]|$))")),
    # "after that, the Wednesday": the weekday after the date just mentioned.
    ("anaphor", re.compile(r"\b(?P<rel>after|before) (?:that|it|this|then),? (?:on |like |maybe )?"
                           r"(?:the )?(?P<wd>" + _WD + r")\b")),
    ("anaphor", re.compile(r"\b(?:the )?(?P<wd>" + _WD + r"|day|one|1|morning|afternoon|evening"
                           r"|night) (?P<rel>after|before)"
                           r"(?: (?:it|that|then|that one))?(?=\s*(?:[,.?!;]|$))")),
    # "3/6": day/month or month/day; either reading that is still ahead.
    ("slash", re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?![\d/])(?!\s*(?:of|an?)\b)")),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|later today"
                         r"|later this (?:morning|afternoon|evening))\b"
                         # "Can I come in right now?": today.
                         r"|\b(?:come in|get in|be seen|see me|fit me in|squeeze me in) (?:right )?"
                         r"(?:now|away|immediately)\b")),
    ("tomorrow", re.compile(r"\b(?:tomorrow|tmrw|tomorrows)\b")),
    # "Thursday week": a week after the coming Thursday.
    ("wd_week", re.compile(r"\b(?P<wd>" + _WD + r") (?P<unit>week|fortnight)\b"
                           r"(?! (?:of|after|before|from))")),
    ("wd", re.compile(r"\b(?:(?P<mod>next|this coming|this|coming|the following|following) )?"
                      r"(?P<wd>" + _WD + r")(?P<after_next> after next)?\b")),
]


# Mentions that name a day inside a particular week ("the week after next, Wednesday").
_IN_A_WEEK = frozenset({"week_after_next_wd", "next_week_wd", "this_week_wd", "week_of_month",
                        "holiday_week_wd", "week_of_day"})

_HOLIDAY_PATTERNS = frozenset(p for _, p in _PATTERNS if "(?P<christmas_eve>" in p.pattern)

_EXACT = frozenset({"wd_month_day", "wd_day_of_month", "month_day", "day_of_month_name", "wd_day",
                    "day", "holiday", "holiday_rel"})


# A weekday right after these only restates the day ("two weeks from now, Wednesday").
_RESTATED = _EXACT | {"offset_from", "in_offset", "day_after_tomorrow", "tomorrow", "today",
                      "week_of_day", "wd_week", "after_long_weekend"}


def _holiday_key(m: re.Match[str], group: str = "hol") -> str | None:
    text = m.group(group)
    hm = holidays_ca.HOLIDAY_RE.fullmatch(text)
    if hm is None:
        return None
    return next(k for k, v in hm.groupdict().items() if v)


def _week_start(kind: str, m: re.Match[str], today: dt.date, zone: str = "") -> dt.date | None:
    """The Monday of the week a day-less week mention names, when it names one."""
    text = m.group()
    if kind == "range_week":
        if "after next" in text:
            return _monday(today) + dt.timedelta(days=14)
        return _monday(today) + dt.timedelta(days=0 if "this" in text else 7)
    if kind == "holiday_week":
        key = _holiday_key(m)
        if key is None:
            return None
        shift = {"after": 7, "of": 0, "before": -7}[m.groupdict().get("rel") or "of"]
        return _monday(holidays_ca.next_occurrence(key, today, zone)) + dt.timedelta(days=shift)
    if kind == "week_of_day" and not m.group("wd"):
        anchor = _day_of_month(today, int(m.group("day")), None)
        return _monday(anchor) if anchor else None
    return None


def _resolve(kind: str, m: re.Match[str], today: dt.date, tomorrow: dt.date,
             zone: str) -> tuple[dt.date | None, float] | None:
    g = m.groupdict()
    if kind in ("range_week", "holiday_week", "long_weekend", "wd_range", "holiday_season",
                "weekend_of"):
        return None, 0.6
    if kind == "tomorrow_week":
        return tomorrow + dt.timedelta(days=7), 0.75
    if kind == "same_time":
        return (today + dt.timedelta(days=7) if g["when"] == "next week" else tomorrow), 0.8
    if kind == "week_of_day":
        anchor = _day_of_month(today, int(g["day"]), None)
        if anchor is None or not g["wd"]:
            return None, 0.6
        return _monday(anchor) + dt.timedelta(days=WEEKDAYS[g["wd"]]), 0.75
    if kind == "week_of_rel_month":
        if not g["wd"]:
            return None, 0.6
        year, month = today.year, today.month
        if (g["rel"] or g["rel2"]) == "next":
            year, month = _add_month(year, month)
        return _nth_weekday_of_month(dt.date(year, month, 1), g["nth"] or g["nth2"],
                                     WEEKDAYS[g["wd"]], month), 0.75
    if kind == "week_of_month":
        if not g["wd"]:
            return None, 0.6
        return _nth_weekday_of_month(today, g["nth"], WEEKDAYS[g["wd"]], MONTHS[g["mon"]]), 0.75
    if kind == "this_week_wd":
        return _monday(today) + dt.timedelta(days=WEEKDAYS[g["wd"] or g["wd2"]]), 0.8
    if kind == "week_after_next_wd":
        return _monday(today) + dt.timedelta(days=14 + WEEKDAYS[g["wd"]]), 0.8
    if kind == "next_week_wd":
        wd = WEEKDAYS[g["wd"] or g["wd2"]]
        return _monday(today) + dt.timedelta(days=7 + wd), 0.8
    if kind in ("in_offset", "offset_from") and "few" in g["n"]:
        return None, 0.5  # "in a few days": no one day
    if kind == "offset_from":
        n = _n(g["n"])
        days = n * _UNIT_DAYS[g["unit"].rstrip("s")]
        base_word = g["base"]
        if base_word in ("today", "now"):
            base = today
        elif base_word == "tomorrow":
            base = tomorrow
        else:
            base = _weekday_ahead(today, WEEKDAYS[base_word])
        return base + dt.timedelta(days=days), 0.85
    if kind == "month_offset":
        if _TOLD.search(m.string[max(0, m.start() - 40) : m.start()]):
            return None, 0.5  # "I was told to come back in 6 months": advice, not the day
        n = _n(g["n"] or g["n2"])
        base = tomorrow if g["base"] == "tomorrow" else today
        return _add_months(base, n), 0.8
    if kind == "day_of_rel_month":
        year, month = today.year, today.month
        if (g["rel"] or g["rel2"]) != "this":
            year, month = _add_month(year, month)
        try:
            return dt.date(year, month, int(g["day"] or g["day2"])), 0.85
        except ValueError:
            return None
    if kind == "last_day":
        word = g["mon"]
        year, month = today.year, today.month
        if word == "next month":
            year, month = _add_month(year, month)
        elif word != "month":
            month = MONTHS[word]
            year += 1 if month < today.month else 0
        last = dt.date(*_add_month(year, month), 1) - dt.timedelta(days=1)
        if "business" in m.group() or "working" in m.group():
            while last.weekday() >= 5:
                last -= dt.timedelta(days=1)
        return last, 0.8
    if kind == "in_offset":
        n = _n(g["n"])
        return today + dt.timedelta(days=n * _UNIT_DAYS[g["unit"].rstrip("s")]), 0.8
    if kind == "nth_wd_of_month":
        if g["mon"].endswith("month"):
            if g["mon"].startswith("next"):
                year, month = _add_month(today.year, today.month)
                first = dt.date(year, month, 1)
            else:
                year, month, first = today.year, today.month, today
            nth_day = _nth_weekday_of_month(first, g["nth"], WEEKDAYS[g["wd"]], month)
            if nth_day < today:
                # "the last Friday of the month" once it has passed: next month's.
                year, month = _add_month(year, month)
                nth_day = _nth_weekday_of_month(dt.date(year, month, 1), g["nth"],
                                                WEEKDAYS[g["wd"]], month)
            return nth_day, 0.8
        month = 1 if g["mon"] == "the new year" else MONTHS[g["mon"]]
        return _nth_weekday_of_month(today, g["nth"], WEEKDAYS[g["wd"]], month), 0.85
    if kind == "wd_count":
        weeks = _n(g["n"]) - 1
        return _weekday_ahead(today, WEEKDAYS[g["wd"]]) + dt.timedelta(days=7 * weeks), 0.75
    if kind == "last_wd":
        last = _nth_weekday_of_month(today, "last", WEEKDAYS[g["wd"]], today.month)
        if last < today:
            year, month = _add_month(today.year, today.month)
            last = _nth_weekday_of_month(dt.date(year, month, 1), "last", WEEKDAYS[g["wd"]],
                                         month)
        return last, 0.7
    if kind == "day_after_tomorrow":
        return tomorrow + dt.timedelta(days=1), 0.9
    if kind in ("wd_month_day", "month_day"):
        d = _month_day(today, MONTHS[g["mon"]], int(g["day"]))
        return (d, 0.9) if d else None
    if kind in ("wd_day_of_month", "day_of_month_name"):
        d = _month_day(today, MONTHS[g["mon"] or "may"], int(g["day"] or g["day2"]))
        return (d, 0.9) if d else None
    if kind == "wd_day":
        d = _day_of_month(today, int(g["day"]), WEEKDAYS[g["wd"]])
        return (d, 0.9) if d else None
    if kind == "day":
        day = int(g["day"] or next(v for k, v in g.items() if k.startswith("day") and v))
        d = _day_of_month(today, day, None)
        return (d, 0.85) if d else None
    if kind == "holiday_rel":
        if g["hol"] == "long weekend":
            start, end = holidays_ca.next_long_weekend(today)
        else:
            key = _holiday_key(m)
            if key is None:
                return None
            day = holidays_ca.next_occurrence(key, today, zone)
            start, end = holidays_ca.weekend_span(key, day) if g["wkend"] else (day, day)
            if key in holidays_ca.WEEKS:
                # "the Tuesday after March break": after the week off, weekends included.
                start, end = day - dt.timedelta(days=2), day + dt.timedelta(days=6)
        if g["dayrel"]:
            return (end + dt.timedelta(days=1) if g["dayrel"].endswith("after")
                    else start - dt.timedelta(days=1)), 0.85
        wd = WEEKDAYS[g["wd"]]
        if g["wdrel"] == "after":
            return _weekday_ahead(end, wd), 0.85
        back = (start.weekday() - wd) % 7 or 7
        return start - dt.timedelta(days=back), 0.85
    if kind == "after_long_weekend":
        _, end = holidays_ca.next_long_weekend(today)
        return end + dt.timedelta(days=1), 0.7
    if kind in ("holiday_weekend_wd", "long_weekend_wd"):
        if kind == "long_weekend_wd":
            start, end = holidays_ca.next_long_weekend(today)
            wd = WEEKDAYS[g["wd"] or g["wd2"]]
            if " before " in m.group():
                return start - dt.timedelta(days=(start.weekday() - wd) % 7 or 7), 0.8
            if " after " in m.group():
                return _weekday_ahead(end, wd), 0.8
        else:
            key = _holiday_key(m)
            if key is None:
                return None
            day = holidays_ca.next_occurrence(key, today, zone)
            start, end = holidays_ca.weekend_span(key, day)
            if start == end:
                start = _monday(day) - dt.timedelta(days=2)
                end = _monday(day) + dt.timedelta(days=6)
            wd = WEEKDAYS[g["wd"]]
        # "Labour Day weekend, the Friday": that weekday in the weekend, else the one nearest
        # to it (the Friday it starts after, the Tuesday after it ends).
        around = [start + dt.timedelta(days=k) for k in range(-3, (end - start).days + 4)]
        matching = [d for d in around if d.weekday() == wd]
        if not matching:
            return None
        inside = [d for d in matching if start <= d <= end]
        if inside:
            return inside[0], 0.85
        return min(matching, key=lambda d: min(abs((d - start).days), abs((d - end).days))), 0.75
    if kind == "holiday_week_wd":
        key = _holiday_key(m)
        if key is None:
            return None
        monday = _monday(holidays_ca.next_occurrence(key, today, zone))
        shift = {"after": 7, "of": 0, "before": -7}[g["rel"]]
        return monday + dt.timedelta(days=shift + WEEKDAYS[g["wd"]]), 0.8
    if kind == "holiday":
        key = next(k for k, v in g.items() if v and k in holidays_ca.BY_KEY)
        halifax = zone == "America/Halifax"
        if key == "civic_holiday" and m.group().startswith("heritage") and halifax:
            # Nova Scotia's Heritage Day is in February; Alberta's is in August.
            key = "family_day"
        return holidays_ca.next_occurrence(key, today, zone), 0.9
    if kind in ("anaphor", "offset_rel", "next_one", "anaphor_week"):
        return None, 0.0
    if kind == "wd_after_this":
        return _weekday_ahead(today, WEEKDAYS[g["wd"]]) + dt.timedelta(days=7), 0.75
    if kind == "wd_week":
        days = 14 if g["unit"] == "fortnight" else 7
        return _weekday_ahead(today, WEEKDAYS[g["wd"]]) + dt.timedelta(days=days), 0.7
    if kind == "slash":
        a, b = int(g["a"]), int(g["b"])
        if (a, b) == (24, 7):
            return None
        readings = [d for d in (_month_day(today, a, b) if 1 <= a <= 12 else None,
                                _month_day(today, b, a) if 1 <= b <= 12 else None) if d]
        return (min(readings), 0.6) if readings else None
    if kind == "today":
        return today, 0.9
    if kind == "tomorrow":
        return tomorrow, 0.9 if tomorrow != today else 0.6
    if kind == "wd":
        wd = WEEKDAYS[g["wd"]]
        mod = g["mod"] or ""
        if mod == "this":
            d = _weekday_ahead(today, wd, allow_today=True)
        else:
            d = _weekday_ahead(today, wd)
        if g["after_next"]:
            d += dt.timedelta(days=7)
        return d, 0.7 if mod == "next" else 0.85
    return None


def local_today(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """Today and what "tomorrow" means, for a local wall-clock moment."""
    today = now.date()
    tomorrow = today if now.hour < EARLY_HOURS_END else today + dt.timedelta(days=1)
    return today, tomorrow


_WD_WORD = re.compile(r"\b" + _WD + r"\b")


def _resolve_anaphors(mentions: list[DateMention], text: str, today: dt.date,
                      ruled_out: list[DateMention]) -> list[DateMention]:
    """ "Labour Day's Monday, so the Tuesday after": relative to the previous date said."""
    out: list[DateMention] = []
    for mention in mentions:
        if mention.kind == "next_one":
            prev = next((p for p in reversed(out) if p.date is not None), None)
            if prev is not None and prev.kind in ("wd", "this_week_wd") and (
                    mention.start - prev.end <= 30):
                out.append(DateMention(mention.start, mention.end,
                                       prev.date + dt.timedelta(days=7) if prev.date else None,
                                       0.7, "wd"))
            else:
                # "Not this Friday, the next one": the weekday ruled out, a week on.
                dropped = next((r for r in reversed(ruled_out) if r.end <= mention.start
                                and mention.start - r.end <= 30 and r.date is not None
                                and _WD_WORD.search(text, r.start, r.end)), None)
                if dropped is not None and dropped.date is not None:
                    out.append(DateMention(mention.start, mention.end,
                                           dropped.date + dt.timedelta(days=7), 0.7, "wd"))
            continue
        prev_out = out[-1] if out else None
        if (mention.kind == "wd" and prev_out is not None and prev_out.kind == "anaphor_week"
                and prev_out.week is not None and mention.date is not None
                and mention.start - prev_out.end <= 24):
            # "... so the week before, Wednesday": that weekday in that week.
            out.append(DateMention(mention.start, mention.end, prev_out.week
                                   + dt.timedelta(days=mention.date.weekday()), 0.7, "wd"))
            continue
        if (mention.kind == "day" and prev_out is not None and prev_out.kind == "holiday_rel"
                and prev_out.date is not None and mention.date is not None
                and mention.date.day == prev_out.date.day and mention.start - prev_out.end <= 14):
            # "the Thursday before, the 2nd": the day of the month restates it.
            out.append(DateMention(mention.start, mention.end, prev_out.date, 0.8, "day"))
            continue
        if mention.kind == "anaphor_week":
            earlier = [p for p in [*out, *ruled_out] if p.start < mention.start and p.date]
            if earlier:
                anchor = max(earlier, key=lambda p: p.start).date
                assert anchor is not None
                shift = 7 if "after" in text[mention.start : mention.end] else -7
                out.append(DateMention(mention.start, mention.end, None, 0.6, "anaphor_week",
                                       _monday(anchor) + dt.timedelta(days=shift)))
            continue
        if mention.kind != "anaphor":
            out.append(mention)
            continue
        piece = text[mention.start : mention.end]
        flipped = re.match(r"(after|before) \w+,? (?:on |like |maybe )?(?:the )?(\w+)", piece)
        if flipped:
            piece = f"{flipped.group(2)} {flipped.group(1)}"
        m = re.match(r"(?:the )?(\w+) (after|before)", piece)
        if m is None:
            continue
        if re.search(r"\b(?:is|was|thats|that is|its|it is)\s+$", text[:mention.start]):
            continue  # "Canada Day's the day before": a fact, not a day asked for
        if m.group(1) == "1" and not m.group().startswith("the "):
            continue  # "at 1 after?" is an hour, not "the one after"
        word, rel = m.group(1).replace("1", "one"), m.group(2)
        if word in ("morning", "afternoon", "evening", "night"):
            word = "day"  # "the morning after": the day after, in the morning
        # A day ruled out still anchors "the day after" ("Not Christmas, the day after").
        earlier = sorted((p for p in [*out, *ruled_out] if p.start < mention.start
                          and (p.date is not None or p.span is not None)), key=lambda p: p.start)
        anchor = next((p.date if p.span is None else p.span[1] if rel == "after" else p.span[0]
                       for p in reversed(earlier)), None)
        if anchor is None:
            if word in ("day", "one"):
                continue
            out.append(DateMention(mention.start, mention.end,
                                   _weekday_ahead(today, WEEKDAYS[word]), 0.6, "wd"))
            continue
        if word == "day":
            d = anchor + dt.timedelta(days=1 if rel == "after" else -1)
        elif word == "one":
            # "Not this Friday, the one after": the same day a week on.
            d = anchor + dt.timedelta(days=7 if rel == "after" else -7)
        elif rel == "after":
            d = _weekday_ahead(anchor, WEEKDAYS[word])
        else:
            d = anchor - dt.timedelta(days=(anchor.weekday() - WEEKDAYS[word]) % 7 or 7)
        out.append(DateMention(mention.start, mention.end, d, 0.8, "holiday_rel"))
    return out


# Every pattern above needs one of these (ordinal and number words are digits by now); a
# text with none of them names no date, and most names, yes/no answers and phone numbers
# (masked) skip the sixty patterns.
_ANY_DATE_WORD = re.compile(
    r"\d|day|tomorrow|tmrw|tonight|week|month|year|fortnight|mon|tue|wed|thu|fri|sat|sun|jan|feb"
    r"|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|christmas|xmas|easter|thanksgiving|hallowe"
    r"|valentine|patrick|fete|jean|reconciliation|clock|time change|spring forward|fall back"
    r"|next|now|holiday|break|season|vacation|this|away|immediately")


# A holiday said to be over: "Canada Day? Oh, that was last week", "it's already passed".
_HOLIDAY_GONE = re.compile(
    r"(?:'?s| is| was| has)? (?:already |just )?(?:over|passed|gone|done|been and gone)\b|"
    r"[^.?!]{0,20}?(?:\.\.\.|[.?!,;])?\s*(?:(?:no|oh|wait|actually|sorry|right|um|uh),? ){0,3}"
    r"(?:that|it|which)(?: was|'s| is| has| had)?\b[^.?!]{0,24}?\b(?:ago|passed|over(?! a\b| an\b"
    r"| \d| two| three)|gone|last week|yesterday|behind us|already happened)\b")

# A change of day said as "from X to Y": a move, not a span of days.
_MOVE_FROM = re.compile(r"\b(?:move|moving|moved|change|changing|switch|switching|bump|bumping"
                        r"|push|pushing|shift|shifting|swap|swapping|reschedul\w*|transfer\w*"
                        r"|flip|flipping)\b[^.?!]{0,50}$")


def find_dates(text: str, now: dt.datetime) -> list[DateMention]:
    """Date mentions in ``text`` (already in temporal form), in order of position."""
    if not _ANY_DATE_WORD.search(text):
        return []
    today, tomorrow = local_today(now)
    zone = str(getattr(now.tzinfo, "key", ""))
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    ruled_out: list[DateMention] = []
    # The holiday alternation is the costliest part; one search decides whether to try it.
    holidays = "long weekend" in text or holidays_ca.HOLIDAY_RE.search(text) is not None
    for kind, pattern in _PATTERNS:
        if not holidays and pattern in _HOLIDAY_PATTERNS:
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            before = text[max(0, s - 16) : s]
            ruled = _NOT.search(before)
            if ruled and "but" in ruled.group() and (
                    kind in ("anaphor", "next_one")
                    or not re.search(r"\b(?:any|anything|anytime|every|all|whenever)\b",
                                     text[max(0, s - 30) : s])):
                # "not this Monday but the one after", "it depends, but next Tuesday I'm off":
                # "but" turns to the day; only "any day but Monday" rules one out.
                ruled = None
            if ruled or _CANT.search(text[max(0, s - 34) : s]):
                taken.append((s, e))
                dropped = _resolve(kind, m, today, tomorrow, zone)
                if dropped is not None and dropped[0] is not None:
                    ruled_out.append(DateMention(s, e, dropped[0], 0.0, "ruled_out"))
                continue
            if kind == "wd_range" and _MOVE_FROM.search(text[max(0, s - 60) : s]):
                # "move my appointment from Tuesday to Thursday": the day it goes to.
                continue
            if kind == "holiday" and _HOLIDAY_GONE.match(text, e):
                # "Civic Holiday... no wait, that was last week": not the one a year off.
                taken.append((s, e))
                continue
            if kind == "wd" and not m.group("mod") and _A_WEEKDAY.search(before):
                # "No, that's a Sunday", "is the 6th a Friday?": a day's name, not a day.
                taken.append((s, e))
                continue
            if kind in ("wd", "tomorrow") and _PAST.search(before) and "last" in before[-6:]:
                taken.append((s, e))
                continue
            resolved = _resolve(kind, m, today, tomorrow, zone)
            taken.append((s, e))
            if resolved is None:
                continue
            if kind == "holiday" and any(m.group(k) for k in holidays_ca.ANCHOR_ONLY):
                kind = "anchor"  # "after the clocks go back": anchors, is never the day
            mentions.append(DateMention(s, e, resolved[0], resolved[1], kind,
                                        _week_start(kind, m, today, zone) if resolved[0] is None
                                        else None,
                                        holidays_ca.next_long_weekend(today)
                                        if kind == "long_weekend" else None))
    mentions.sort(key=lambda x: x.start)
    # "the 19th, the Friday": a weekday right after an exact date only restates it.
    kept: list[DateMention] = []
    for mention in mentions:
        prev = kept[-1] if kept else None
        if (prev is not None and mention.kind == "wd" and prev.kind in _RESTATED
                and mention.start - prev.end <= 12 and prev.date is not None
                and mention.date is not None
                and prev.date.weekday() == mention.date.weekday()):
            continue
        if (prev is not None and mention.kind == "wd" and prev.kind in ("offset_from", "in_offset")
                and mention.start - prev.end <= 16 and prev.date is not None
                and not text[mention.start : mention.end].startswith(("next", "this"))):
            # "In two weeks, on the Thursday": that weekday in the week the offset lands in.
            wd = mention.date.weekday() if mention.date else 0
            mention = DateMention(mention.start, mention.end,
                                  _monday(prev.date) + dt.timedelta(days=wd), 0.75, "wd")
        if (prev is not None and mention.kind == "wd" and prev.kind == "holiday"
                and prev.date is not None and mention.date is not None
                and mention.start - prev.end <= 40 and mention.date < prev.date
                and (prev.date - mention.date).days <= 7
                and re.fullmatch(_WD, text[mention.start : mention.end])):
            # "Monday? It's Labour Day. So Tuesday": a weekday replacing a holiday just ruled
            # out is the one nearest that holiday, not the one nearest today.
            anchor, wd = prev.date, mention.date.weekday()
            near = next(anchor + dt.timedelta(days=k) for k in (1, -1, 2, -2, 3, -3)
                        if (anchor + dt.timedelta(days=k)).weekday() == wd)
            if near >= today and near != mention.date:
                mention = DateMention(mention.start, mention.end, near, 0.7, "wd")
        restated = None
        if mention.kind == "wd":
            for k in reversed(kept[-4:]):
                if mention.start - k.end > 60:
                    break
                if k.kind in _EXACT and k.date is not None:
                    restated = k
                    break
        if (restated is not None and mention.kind == "wd" and mention.date is not None
                and restated.date is not None
                and restated.date.weekday() == mention.date.weekday()
                and re.fullmatch(_WD, text[mention.start : mention.end])):
            # "The 28th, if it's a weekday. Is it? Thursday? Great": the weekday of that date.
            continue
        if (mention.kind == "wd" and mention.date is not None
                and text[mention.start : mention.end].startswith("next ")):
            # "This Thursday? I'm busy. Next Thursday": the one after this one.
            this = next((k for k in [*kept, *ruled_out] if k.kind in ("wd", "ruled_out")
                         and k.date is not None and k.date.weekday() == mention.date.weekday()
                         and text[k.start : k.end].startswith("this ")), None)
            if this is not None and this.date is not None and this.date >= mention.date:
                mention = DateMention(mention.start, mention.end,
                                      this.date + dt.timedelta(days=7), 0.75, "wd")
        if (prev is not None and mention.kind == "wd" and prev.date is not None
                and mention.date is not None and prev.kind in _IN_A_WEEK
                and re.fullmatch(r"\s*,?\s*(?:or|and|or maybe|maybe)\s+(?:the\s+)?",
                                 text[prev.end : mention.start])):
            # "The week after next, Wednesday or Thursday": the second day in the same week.
            mention = DateMention(mention.start, mention.end,
                                  _monday(prev.date) + dt.timedelta(days=mention.date.weekday()),
                                  0.7, "wd")
        if (prev is not None and mention.kind == "wd" and prev.kind in ("holiday", "anchor")
                and prev.date is not None and mention.date is not None
                and mention.start - prev.end <= 30
                and re.fullmatch(_WD, text[mention.start : mention.end])):
            # "Right after Easter, like the Tuesday": the weekday on that side of the holiday.
            side = re.search(r"\b(after|before)\s+(?:the\s+)?$", text[max(0, prev.start - 14)
                                                                         : prev.start])
            wd = mention.date.weekday()
            if side and side.group(1) == "after":
                mention = DateMention(mention.start, mention.end,
                                      _weekday_ahead(prev.date, wd), 0.75, "wd")
            elif side:
                back = (prev.date.weekday() - wd) % 7 or 7
                mention = DateMention(mention.start, mention.end,
                                      prev.date - dt.timedelta(days=back), 0.75, "wd")
        if (prev is not None and mention.kind == "day" and prev.date is not None
                and mention.date is not None and mention.date < prev.date
                and mention.start - prev.end <= 40):
            # "After Christmas, so the 28th": the day just after the date said, not this
            # month's.
            after = _day_of_month(prev.date, mention.date.day, None)
            if after is not None and (after - prev.date).days <= 7:
                mention = DateMention(mention.start, mention.end, after, 0.75, "day")
        if (prev is not None and mention.kind == "wd" and prev.week is not None
                and mention.start - prev.end <= 24 and mention.date is not None
                and not text[mention.start : mention.end].startswith(("next", "this"))):
            # "Sometime next week. Say the Wednesday": that weekday in the week just named.
            mention = DateMention(mention.start, mention.end,
                                  prev.week + dt.timedelta(days=mention.date.weekday()), 0.75,
                                  "wd")
        kept.append(mention)
    return _resolve_offsets(_resolve_anaphors(kept, text, today, ruled_out), text)


_OFFSET_REL = re.compile(r"(?P<n>" + _COUNT + r") (?P<unit>days?|weeks?|fortnights?) "
                         r"(?P<rel>before|after|from)")


def _resolve_offsets(mentions: list[DateMention], text: str) -> list[DateMention]:
    """ "Two days before Christmas": the date right after the offset, moved by it."""
    out: list[DateMention] = []
    skip = -1
    for i, mention in enumerate(mentions):
        if i == skip:
            continue
        if mention.kind != "offset_rel":
            out.append(mention)
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        m = _OFFSET_REL.match(text, mention.start)
        if (nxt is None or nxt.date is None or m is None
                or not re.fullmatch(r"\s*(?:the\s+)?", text[mention.end : nxt.start])):
            continue
        days = _n(m.group("n")) * _UNIT_DAYS[m.group("unit").rstrip("s")]
        sign = -1 if m.group("rel") == "before" else 1
        out.append(DateMention(mention.start, nxt.end, nxt.date + dt.timedelta(days=sign * days),
                               0.8, "offset_from"))
        skip = i + 1
    return out


# "Monday at 9. I'm off work till Wednesday anyway": a day after "till" bounds the caller's
# own plans; it is not the day asked for when another day was named.
_BOUND = re.compile(r"\b(?:till|until|til|through|thru|since|before)\s+(?:next |this |the )?$")

# "Wednesday I've got physio", "Monday's no good": the day is busy, not asked for.
_BUSY_AFTER = re.compile(
    r"(?:'?s| is)?,? (?:no good|not good|bad|out|taken|full|booked|busy|a no(?:-go)?|tough|hard"
    r"|not great|impossible|doesn'?t work|won'?t work|(?:is )?no bueno"
    r"|i'?ve got (?!time|nothing|the day|off|free)|i have (?!time|nothing|the day|off|free)"
    r"|i'?m (?:busy|working|away|out of town|booked|tied up|stuck)|i work\b"
    r"|we'?ve got (?!time|nothing)|we have (?!time|nothing)|we'?re (?:busy|away|out of town))")
# "Monday at 9. Oh, and my husband might come Thursday": a day for someone else, said
# after the caller's own, is a side remark ("my husband says Thursday's better" is not).
_OTHER_PERSON = re.compile(
    rf"\b(?:my|our|his|her|their) (?:{RELATIVES}|boss)s?\b"
    r"|\b(?:he|she|they)(?:'s| is| has| will| might| may| works| can)\b")


_FACT_AFTER = re.compile(r" is (?:the )?(?:day|one|\w+day) (?:before|after)\b")


def _aside(text: str, mention: DateMention) -> bool:
    """A day the caller is busy on, someone else's plan, or a fact ("Canada Day's the day
    before")."""
    if _BUSY_AFTER.match(text, mention.end) or _FACT_AFTER.match(text, mention.end):
        return True
    lo = max(0, mention.start - 60)
    clause_start = max(text.rfind(c, lo, mention.start) for c in ".?!;,") + 1
    clause = text[max(lo, clause_start) : mention.start]
    tail = text[mention.end : mention.end + 30]
    return bool(_OTHER_PERSON.search(clause)) and not DEFER.search(clause + tail)


_BOUNDABLE = frozenset({"day", "month_day", "day_of_month_name", "wd", "holiday", "slash",
                        "wd_day", "wd_month_day", "wd_day_of_month"})
_RANGE_BOUND = re.compile(r"\b(?:after|before|by|until|till|til|up to|no later than|not later"
                          r" than)\s+(?:the\s+)?$")

# "from the 10th on": the start of a range.
_ONWARD = re.compile(r"\s*,?\s*(?:on\b|onwards?\b|forward\b|or later\b|or after\b|and after\b)")

_TAG_QUESTION = re.compile(
    r"[^.?!]{0,80}?(?:,|\.\.\.)? (?:right|isn'?t (?:it|that)|aren'?t (?:they|you)"
    r"|don'?t (?:they|you)|eh|correct|yeah)\?")


def extract_date(text: str, now: dt.datetime) -> tuple[str | None, float]:
    """The date finally asked for, as YYYY-MM-DD, and a confidence."""
    if _RANGE.search(text):
        # "between Christmas and New Year's" names no single day.
        rm = _RANGE.search(text)
        assert rm is not None
        inside = find_dates(text[rm.start() : rm.end() + 30], now)
        if len(inside) >= 2:
            # "between Christmas and New Year's, like the 29th": a day named after the range.
            bound = rm.start() + inside[1].end
            every = find_dates(text, now)
            later = [m for m in every if m.start >= bound]
            if not later:
                # "The Tuesday between Christmas and New Year's": the weekday said before it.
                later = [m for m in every if m.kind == "wd" and m.end <= rm.start()
                         and rm.start() - m.end <= 4]
            day = later[-1].date if later else None
            if day is None:
                return None, 0.0
            lo, hi = inside[0].date, inside[1].date
            if later[-1].kind == "wd" and lo is not None and hi is not None and lo < hi:
                # "Between Christmas and New Year's. Maybe the Tuesday?": the one in the range.
                inner = [lo + dt.timedelta(days=k) for k in range((hi - lo).days + 1)
                         if (lo + dt.timedelta(days=k)).weekday() == day.weekday()]
                day = inner[0] if inner and not lo <= day <= hi else day
            return day.isoformat(), later[-1].confidence
    mentions = [m for m in find_dates(text, now) if m.kind not in ("long_weekend", "anchor")]
    if len(mentions) > 1:
        free = [m for m in mentions if not _BOUND.search(text[max(0, m.start - 14) : m.start])]
        if any(m.date for m in free):
            mentions = free
    if len(mentions) > 1:
        own = [m for i, m in enumerate(mentions) if i == 0 or not _aside(text, m)]
        if any(m.date for m in own):
            mentions = own
    if any(m.date for m in mentions) and len(mentions) > 1:
        # "Tomorrow at nine. The clocks change tonight, right?": a date in a tag question
        # checks a fact; it does not replace the day asked for.
        asked = [m for m in mentions if not _TAG_QUESTION.match(text, m.end)]
        if asked and any(m.date for m in asked):
            mentions = asked
    if not mentions:
        return None, 0.0
    if (len(mentions) == 1 and mentions[0].kind in _BOUNDABLE
            and (_RANGE_BOUND.search(text[max(0, mentions[0].start - 24) : mentions[0].start])
                 or (text[max(0, mentions[0].start - 5) : mentions[0].start].endswith("from ")
                     and _ONWARD.match(text, mentions[0].end)))):
        # "Any day after the 15th", "before Friday": a range of days, not one.
        return None, 0.0
    last = mentions[-1]
    if last.date is None:
        return None, 0.0
    return last.date.isoformat(), last.confidence
