"""Finding free slots: pure computation over one clinic's rules and the
chairs' busy intervals (fetched by the store in one query per window).

A candidate start lies on the clinic's slot grid (every ``slot_step_minutes``
from the start of an opening segment) or right where an earlier booking's
buffer ends, so odd-length appointments do not waste the gap after them.
A candidate is free when ``[start, end + buffer)`` overlaps no busy interval
of its chair; busy intervals already include their own trailing buffer, the
same ranges the database's exclusion constraint compares.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bella_booking.errors import InvalidArgument
from bella_booking.rules import Chair, Clinic, Service, describe_day

PARTS_OF_DAY: dict[str, tuple[time, time]] = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


@dataclass(frozen=True)
class Busy:
    chair_id: int
    start: datetime
    end: datetime  # includes the booking's trailing buffer


@dataclass(frozen=True)
class SlotCandidate:
    start: datetime
    end: datetime
    chair: Chair
    service: str


@dataclass(frozen=True)
class Preference:
    day: date | None = None
    time: time | None = None
    part_of_day: str | None = None

    @classmethod
    def parse(cls, day: str, at: str, part_of_day: str) -> Preference:
        parsed_day = parsed_time = None
        if day:
            try:
                parsed_day = date.fromisoformat(day)
            except ValueError:
                raise InvalidArgument(
                    f"preferred_date {day!r} is not a date; use YYYY-MM-DD."
                ) from None
        if at:
            try:
                parsed_time = time.fromisoformat(at)
            except ValueError:
                raise InvalidArgument(
                    f"preferred_time {at!r} is not a time; use 24-hour HH:MM."
                ) from None
        part = part_of_day.strip().lower() or None
        if part is not None and part not in PARTS_OF_DAY:
            raise InvalidArgument(
                f"part_of_day {part_of_day!r} is not one of morning, afternoon, evening."
            )
        return cls(day=parsed_day, time=parsed_time, part_of_day=part)


@dataclass
class SlotSearch:
    """The state of a search that the store feeds one window of days at a time."""

    clinic: Clinic
    service: Service
    preference: Preference
    now: datetime
    limit: int
    found: list[SlotCandidate]
    first_day: date
    last_day: date
    strict: bool = True  # honour part_of_day; relaxed when nothing matches at all

    @property
    def done(self) -> bool:
        return len(self.found) >= self.limit

    def result(self) -> tuple[list[SlotCandidate], str]:
        return sorted(self.found, key=lambda s: s.start), self.reason()

    def reason(self) -> str:
        pref, clinic = self.preference, self.clinic
        service_name = self.service.name.lower()
        if not self.found:
            if self.first_day > self.last_day:
                return (
                    f"Bookings open {clinic.horizon_days} days in advance; "
                    f"{describe_day(pref.day or self.first_day)} is too far ahead."
                )
            return (
                f"No {service_name} openings in the next {clinic.horizon_days} days; "
                "please call the front desk."
            )
        first = min(self.found, key=lambda s: s.start)
        first_day = clinic.local_date(first.start)
        notes: list[str] = []
        if pref.day is not None and pref.day < clinic.local_date(self.now):
            notes.append(f"{describe_day(pref.day)} has passed")
        elif pref.day is not None and pref.day != first_day:
            why = _closed_reason(clinic, pref.day)
            notes.append(
                f"no {service_name} openings on {describe_day(pref.day)}"
                + (f" ({why})" if why else "")
            )
        if pref.part_of_day and not self.strict:
            if offers_part_of_day(clinic, pref.part_of_day):
                notes.append(f"nothing free in the {pref.part_of_day}")
            else:
                notes.append(f"the clinic has no {pref.part_of_day} hours")
        if pref.time is not None and not any(
            clinic.local(s.start).time() == pref.time for s in self.found
        ):
            notes.append(f"{pref.time.strftime('%H:%M')} is not available")
        if not notes:
            return ""
        text = "; ".join(notes)
        return text[0].upper() + text[1:] + "; these are the nearest openings."


def offers_part_of_day(clinic: Clinic, part: str) -> bool:
    """Whether any weekday's opening hours reach into ``part`` (e.g. no evenings at all)."""
    lo, hi = PARTS_OF_DAY[part]
    return any(
        start < hi and lo < end
        for day in clinic.hours
        if day is not None
        for start, end in day.local_segments()
    )


def _closed_reason(clinic: Clinic, day: date) -> str:
    holiday = clinic.holiday(day)
    if holiday:
        return f"closed for {holiday}"
    if clinic.hours[day.weekday()] is None:
        return f"closed on {day.strftime('%A')}s"
    return ""


def start_search(
    clinic: Clinic, service: Service, preference: Preference, now: datetime, limit: int
) -> SlotSearch:
    today = clinic.local_date(now)
    earliest_day = clinic.local_date(clinic.earliest_start(now))
    first = max(preference.day or earliest_day, earliest_day, today)
    strict = preference.part_of_day is None or offers_part_of_day(clinic, preference.part_of_day)
    return SlotSearch(
        strict=strict,
        clinic=clinic,
        service=service,
        preference=preference,
        now=now,
        limit=max(1, limit),
        found=[],
        first_day=first,
        last_day=clinic.last_day(now),
    )


def window_bounds(clinic: Clinic, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants covering local days ``first``..``last`` (for the busy query)."""
    start = datetime.combine(first, time(0), tzinfo=clinic.tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=clinic.tz).astimezone(UTC)
    return start, end


def search_days(search: SlotSearch, days: Sequence[date], busy: Iterable[Busy]) -> None:
    """Extend ``search.found`` from ``days`` (consecutive, in order) given their busy intervals."""
    by_chair: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for b in busy:
        by_chair[b.chair_id].append((b.start, b.end))
    for intervals in by_chair.values():
        intervals.sort()
    for day in days:
        if search.done:
            return
        if day < search.first_day or day > search.last_day:
            continue
        candidates = day_candidates(search.clinic, search.service, day, search.now, by_chair)
        pref = search.preference
        if search.strict and pref.part_of_day:
            lo, hi = PARTS_OF_DAY[pref.part_of_day]
            candidates = [c for c in candidates if lo <= search.clinic.local(c.start).time() < hi]
        if not candidates:
            continue
        if pref.time is not None:
            target = datetime.combine(day, pref.time, tzinfo=search.clinic.tz).astimezone(UTC)
            candidates.sort(key=lambda c: (abs(c.start - target), c.start))
        need = search.limit - len(search.found)
        search.found.extend(candidates[:need])


def day_candidates(
    clinic: Clinic,
    service: Service,
    day: date,
    now: datetime,
    busy_by_chair: dict[int, list[tuple[datetime, datetime]]],
) -> list[SlotCandidate]:
    """Free starts on ``day``, one per start time (first chair in config order), earliest first."""
    segments = clinic.segments(day)
    if not segments:
        return []
    earliest = clinic.earliest_start(now)
    duration = service.duration
    buffer = clinic.buffer
    step = timedelta(minutes=clinic.slot_step_minutes)
    by_start: dict[datetime, SlotCandidate] = {}
    for chair in clinic.chairs_for(service.code):
        intervals = busy_by_chair.get(chair.id, [])
        starts_of_busy = [s for s, _ in intervals]
        for seg_start, seg_end in segments:
            starts = set()
            t = seg_start
            while t + duration <= seg_end:
                starts.add(t)
                t += step
            for _, busy_end in intervals:
                if seg_start <= busy_end and busy_end + duration <= seg_end:
                    starts.add(busy_end)
            for start in sorted(starts):
                if start < earliest or start in by_start:
                    continue
                if _free(intervals, starts_of_busy, start, start + duration + buffer):
                    by_start[start] = SlotCandidate(start, start + duration, chair, service.code)
    return [by_start[k] for k in sorted(by_start)]


def _free(
    intervals: list[tuple[datetime, datetime]],
    starts: list[datetime],
    start: datetime,
    end: datetime,
) -> bool:
    # Intervals of one chair never overlap each other (the database forbids it), so the only
    # candidates for a clash are the last interval starting before ``end`` and its predecessor.
    i = bisect.bisect_left(starts, end)
    for j in (i - 1, i - 2):
        if j >= 0:
            s, e = intervals[j]
            if s < end and start < e:
                return False
    return True
