"""Canadian holidays and observances callers name when asking for a day.

Computed rather than looked up so the nearest upcoming occurrence is cheap to
find on the hot path; Easter comes from dateutil.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from dateutil.easter import easter

MONDAY, FRIDAY, SATURDAY, SUNDAY = 0, 4, 5, 6


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _victoria_day(year: int) -> dt.date:
    # The Monday before May 25.
    d = dt.date(year, 5, 24)
    return d - dt.timedelta(days=d.weekday())


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


def _nth(month: int, weekday: int, n: int) -> Callable[[int], dt.date]:
    return lambda year: nth_weekday(year, month, weekday, n)


def _march_break(year: int) -> dt.date:
    # The Monday of the school March break: in Ontario (and Nova Scotia), the week after the
    # second Friday in March. Other provinces' school boards vary; this is the usual week.
    return nth_weekday(year, 3, FRIDAY, 2) + dt.timedelta(days=3)


@dataclass(frozen=True)
class Holiday:
    key: str
    pattern: str
    date: Callable[[int], dt.date]
    # A long weekend around it (first and last day offsets from the holiday).
    weekend: tuple[int, int] = (0, 0)


_MONDAY_WEEKEND = (-2, 0)

HOLIDAYS: tuple[Holiday, ...] = (
    Holiday("christmas_eve", r"(?:christmas|xmas) eve", _fixed(12, 24)),
    Holiday("new_years_eve", r"new years? eve", _fixed(12, 31)),
    Holiday("boxing_day", r"boxing day", _fixed(12, 26)),
    Holiday("christmas", r"christmas(?: day)?|xmas", _fixed(12, 25)),
    # "New Year's (Day)"; "the new year" alone is a season, not the day.
    Holiday("new_years", r"new year'?s(?: day)?|new year day", _fixed(1, 1)),
    # "after the new year, the 5th": an anchor (ANCHOR_ONLY), never the day itself.
    Holiday("new_year_period", r"new year(?!'?s\b| day\b| eve\b)", _fixed(1, 1)),
    Holiday("canada_day", r"canada day|dominion day|moving day", _fixed(7, 1)),
    # Newfoundland's Memorial Day is July 1; elsewhere callers mean the American one.
    Holiday("memorial_day", r"memorial day",
            lambda y: nth_weekday(y, 6, MONDAY, 1) - dt.timedelta(days=7)),
    Holiday("remembrance_day", r"remembrance day", _fixed(11, 11)),
    Holiday("halloween", r"hallowe?en", _fixed(10, 31)),
    Holiday("valentines", r"valentines?(?: day)?", _fixed(2, 14)),
    Holiday("st_patricks", r"(?:st\.?|saint) (?:patricks?|paddys?)(?: day)?", _fixed(3, 17)),
    Holiday("st_jean", r"(?:st\.?|saint)[- ]jean(?:[- ]baptiste)?(?: day)?|fete nationale",
            _fixed(6, 24)),
    Holiday("truth_reconciliation",
            r"(?:national day for )?truth and reconciliation(?: day)?|orange shirt day",
            _fixed(9, 30)),
    Holiday("family_day", r"family day|louis riel day|islander day|nova scotia heritage day",
            _nth(2, MONDAY, 3), _MONDAY_WEEKEND),
    # Quebec keeps the same Monday as National Patriots' Day.
    Holiday("victoria_day", r"victoria day|may (?:two[- ]four|2[- ]?4) weekend|may long weekend"
            r"|(?:national )?patriots'? day|(?:journee nationale|fete) des patriotes"
            r"|(?:the )?long weekend in may",
            _victoria_day, _MONDAY_WEEKEND),
    Holiday("good_friday", r"good friday", lambda y: easter(y) - dt.timedelta(days=2), (0, 3)),
    Holiday("easter_monday", r"easter monday", lambda y: easter(y) + dt.timedelta(days=1),
            (-3, 0)),
    Holiday("easter", r"easter(?: sunday)?", easter, (-2, 1)),
    Holiday("civic_holiday",
            r"civic holiday|simcoe day|bc day|british columbia day|heritage day|natal day"
            r"|new brunswick day|saskatchewan day|terry fox day|august long weekend"
            r"|(?:the )?long weekend in august",
            _nth(8, MONDAY, 1), _MONDAY_WEEKEND),
    Holiday("labour_day", r"labou?r day", _nth(9, MONDAY, 1), _MONDAY_WEEKEND),
    Holiday("thanksgiving", r"thanksgiving(?: monday| day)?", _nth(10, MONDAY, 2),
            _MONDAY_WEEKEND),
    Holiday("groundhog_day", r"groundhogs? day", _fixed(2, 2)),
    Holiday("april_fools", r"april fools?(?: day)?", _fixed(4, 1)),
    Holiday("earth_day", r"earth day", _fixed(4, 22)),
    Holiday("indigenous_day", r"(?:national )?(?:indigenous|aboriginal) (?:peoples'? )?day",
            _fixed(6, 21)),
    # Yukon's Discovery Day: the third Monday of August.
    Holiday("discovery_day", r"discovery day", _nth(8, MONDAY, 3), _MONDAY_WEEKEND),
    # Daylight saving changes: anchors for "the Monday after the clocks go back", never the
    # day asked for themselves (see ANCHOR_ONLY).
    Holiday("dst_start", r"(?:the )?clocks? (?:go |goes |spring |move |going )?(?:forward|ahead)"
            r"|spring forward|daylight sav\w*(?: time)? (?:starts|begins|kicks in)"
            r"|(?:the )?start of daylight sav\w*(?: time)?", _nth(3, SUNDAY, 2)),
    Holiday("dst_end", r"(?:the )?clocks? (?:go |goes |fall |move |going )?back|fall back"
            r"|daylight sav\w*(?: time)? ends|(?:the )?end of daylight sav\w*(?: time)?",
            _nth(11, SUNDAY, 1)),
    Holiday("time_change", r"(?:the )?time change|(?:the )?clocks? chang\w*", _nth(11, SUNDAY, 1)),
    Holiday("mothers_day", r"mothers? day", _nth(5, SUNDAY, 2), (-1, 0)),
    # A school week off, named like a holiday: its Monday (a week, see WEEKS).
    Holiday("march_break", r"march break|spring break", _march_break),
    Holiday("fathers_day", r"fathers? day", _nth(6, SUNDAY, 3), (-1, 0)),
)

# Holidays that are a whole week: named alone, they give no single day.
WEEKS = frozenset({"march_break"})

ANCHOR_ONLY = frozenset({"dst_start", "dst_end", "time_change", "new_year_period"})

# Holidays that make a long weekend, for "the long weekend".
LONG_WEEKENDS = ("family_day", "good_friday", "victoria_day", "canada_day", "civic_holiday",
                 "labour_day", "thanksgiving")

HOLIDAY_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{h.key}>{h.pattern})" for h in HOLIDAYS)
                        + r")\b")
BY_KEY = {h.key: h for h in HOLIDAYS}


def _nl_discovery_day(year: int) -> dt.date:
    # Newfoundland and Labrador's Discovery Day: the Monday nearest June 24.
    d = dt.date(year, 6, 24)
    back = d.weekday()
    return d - dt.timedelta(days=back) if back <= 3 else d + dt.timedelta(days=7 - back)


# Holidays that fall on another day in some zones.
_BY_ZONE: dict[tuple[str, str], Callable[[int], dt.date]] = {
    ("discovery_day", "America/St_Johns"): _nl_discovery_day,
    ("memorial_day", "America/St_Johns"): _fixed(7, 1),
}


@lru_cache(maxsize=4096)
def next_occurrence(key: str, today: dt.date, zone: str = "") -> dt.date:
    """The holiday on or after ``today`` (as kept in the clinic's zone, when that differs)."""
    if key == "time_change":
        return min(next_occurrence("dst_start", today), next_occurrence("dst_end", today))
    date = _BY_ZONE.get((key, zone), BY_KEY[key].date)
    d = date(today.year)
    return d if d >= today else date(today.year + 1)


def weekend_span(key: str, day: dt.date) -> tuple[dt.date, dt.date]:
    start, end = BY_KEY[key].weekend
    if key == "canada_day":
        # Canada Day makes a long weekend only when it falls next to one.
        if day.weekday() == MONDAY:
            return day - dt.timedelta(days=2), day
        if day.weekday() == FRIDAY:
            return day, day + dt.timedelta(days=2)
    return day + dt.timedelta(days=start), day + dt.timedelta(days=end)


@lru_cache(maxsize=4096)
def next_long_weekend(today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the next long weekend that has not ended."""
    spans = []
    for key in LONG_WEEKENDS:
        for year in (today.year, today.year + 1):
            day = BY_KEY[key].date(year) if key in BY_KEY else dt.date(year, 7, 1)
            start, end = weekend_span(key, day)
            if start == end:
                continue
            if end >= today:
                spans.append((start, end))
                break
    return min(spans)
