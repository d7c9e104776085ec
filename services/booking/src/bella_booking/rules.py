"""A clinic's booking rules: opening hours with breaks, statutory holidays,
minimum notice and horizon, reasoned about in the clinic's own time zone.

Every instant here is an aware UTC datetime; local wall-clock times are only
used to build a day's opening segments and to phrase messages. Arithmetic is
always done in UTC, so a slot on a daylight-saving day has its true length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import holidays

from bella_booking.config import WEEKDAYS, ClinicConfig, parse_hhmm
from bella_booking.errors import InvalidArgument, RuleViolation


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    minutes: int

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Chair:
    id: int  # database key; the public id is ``code``
    code: str
    name: str
    services: frozenset[str]


@dataclass(frozen=True)
class DayHours:
    open: time
    close: time
    breaks: tuple[tuple[time, time], ...] = ()

    def local_segments(self) -> list[tuple[time, time]]:
        """Open periods of the day, breaks removed."""
        segments: list[tuple[time, time]] = []
        cursor = self.open
        for start, end in sorted(self.breaks):
            if start > cursor:
                segments.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < self.close:
            segments.append((cursor, self.close))
        return segments


@dataclass(frozen=True)
class Clinic:
    id: str
    name: str
    time_zone: str
    province: str
    phone_number: str
    front_desk_number: str
    address: str
    parking: str
    insurance: str
    services: Mapping[str, Service]
    chairs: Sequence[Chair]
    # Index 0 = Monday; None = closed.
    hours: Sequence[DayHours | None]
    buffer_minutes: int = 0
    min_notice_minutes: int = 120
    horizon_days: int = 90
    slot_step_minutes: int = 15

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def service(self, code: str) -> Service:
        try:
            return self.services[code]
        except KeyError:
            known = ", ".join(sorted(self.services))
            raise InvalidArgument(
                f"Unknown service {code!r}. This clinic offers: {known}."
            ) from None

    def chairs_for(self, service: str) -> list[Chair]:
        return [c for c in self.chairs if service in c.services]

    def chair_by_code(self, code: str) -> Chair:
        for chair in self.chairs:
            if chair.code == code:
                return chair
        raise InvalidArgument(
            f"Unknown chair {code!r}. Chairs: {', '.join(c.code for c in self.chairs)}."
        )

    def chair_by_id(self, chair_id: int) -> Chair | None:
        for chair in self.chairs:
            if chair.id == chair_id:
                return chair
        return None

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def holiday(self, day: date) -> str | None:
        """The name of the statutory holiday on ``day`` in this clinic's province, if any."""
        return _holidays(self.province, day.year).get(day)

    def segments(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open periods as UTC instants; empty when closed or a holiday."""
        hours = self.hours[day.weekday()]
        if hours is None or self.holiday(day) is not None:
            return []
        return [
            (self._instant(day, start), self._instant(day, end))
            for start, end in hours.local_segments()
        ]

    def _instant(self, day: date, wall: time) -> datetime:
        # A wall time skipped by spring-forward maps (fold=0) to the instant after the gap.
        return datetime.combine(day, wall, tzinfo=self.tz).astimezone(UTC)

    def earliest_start(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.min_notice_minutes)

    def last_day(self, now: datetime) -> date:
        return self.local_date(now) + timedelta(days=self.horizon_days)

    def describe(self, instant: datetime) -> str:
        """A human phrase for an instant, in the clinic's zone: 'Tuesday 1 December at 9:00 AM'."""
        return describe_local(self.local(instant))

    def check_bookable(self, service: Service, start: datetime, now: datetime) -> datetime:
        """Validate a proposed start against the clinic's rules; returns the end.

        Raises :class:`RuleViolation` (FAILED_PRECONDITION) with a message a
        caller or receptionist can act on.
        """
        end = start + service.duration
        if start <= now:
            raise RuleViolation("past", f"{self.describe(start)} has already passed.")
        earliest = self.earliest_start(now)
        if start < earliest:
            raise RuleViolation(
                "min_notice",
                f"{self.describe(start)} is too soon: bookings need at least "
                f"{_duration_words(self.min_notice_minutes)} notice; the earliest is "
                f"{self.describe(earliest)}.",
            )
        day = self.local_date(start)
        if day > self.last_day(now):
            raise RuleViolation(
                "horizon",
                f"{self.describe(start)} is too far ahead: bookings open "
                f"{self.horizon_days} days in advance.",
            )
        holiday = self.holiday(day)
        if holiday is not None:
            raise RuleViolation(
                "holiday", f"The clinic is closed on {describe_day(day)} for {holiday}."
            )
        hours = self.hours[day.weekday()]
        if hours is None:
            raise RuleViolation("closed_day", f"The clinic is closed on {day.strftime('%A')}s.")
        for seg_start, seg_end in self.segments(day):
            if seg_start <= start and end <= seg_end:
                return end
        spans = ", ".join(f"{_clock(s)}–{_clock(e)}" for s, e in hours.local_segments())
        raise RuleViolation(
            "outside_hours",
            f"A {service.name.lower()} ({service.minutes} min) starting {self.describe(start)} "
            f"does not fit the clinic's hours that day ({spans}).",
        )


@cache
def _holidays(province: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CA", subdiv=province, years=year)


def _clock(t: time) -> str:
    return t.strftime("%H:%M")


def _duration_words(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" + ("s" if hours != 1 else "")
    return f"{minutes} minutes"


def describe_day(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def describe_local(local: datetime) -> str:
    clock = local.strftime("%I:%M %p").lstrip("0")
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B %Y')} at {clock}"


def clinic_from_config(config: ClinicConfig, chair_ids: Mapping[str, int]) -> Clinic:
    """The runtime clinic from its validated config and the database keys of its chairs."""
    hours: list[DayHours | None] = []
    for name in WEEKDAYS:
        day = config.hours.get(name)
        if day is None:
            hours.append(None)
            continue
        hours.append(
            DayHours(
                open=parse_hhmm(day.open),
                close=parse_hhmm(day.close),
                breaks=tuple((parse_hhmm(b.start), parse_hhmm(b.end)) for b in day.breaks),
            )
        )
    return Clinic(
        id=config.id,
        name=config.name,
        time_zone=config.time_zone,
        province=config.province,
        phone_number=config.phone_number,
        front_desk_number=config.front_desk_number,
        address=config.address,
        parking=config.parking,
        insurance=config.insurance,
        services={
            code: Service(code=code, name=s.name, minutes=s.minutes)
            for code, s in config.services.items()
        },
        chairs=tuple(
            Chair(id=chair_ids[c.code], code=c.code, name=c.name, services=frozenset(c.services))
            for c in config.chairs
        ),
        hours=tuple(hours),
        buffer_minutes=config.buffer_minutes,
        min_notice_minutes=config.min_notice_minutes,
        horizon_days=config.horizon_days,
        slot_step_minutes=config.slot_step_minutes,
    )
