"""Clinic-local dates and times for pages, CSV and the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from google.protobuf.timestamp_pb2 import Timestamp


def from_ts(value: Timestamp) -> datetime | None:
    if value.seconds == 0 and value.nanos == 0:
        return None
    return value.ToDatetime(tzinfo=UTC)


def local(value: Timestamp | datetime | None, zone: str) -> datetime | None:
    moment = from_ts(value) if isinstance(value, Timestamp) else value
    return moment.astimezone(ZoneInfo(zone)) if moment else None


def iso_local(value: Timestamp | datetime | None, zone: str) -> str:
    moment = local(value, zone)
    return moment.isoformat(timespec="seconds") if moment else ""


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """[start of day, start of next day) in the clinic's zone, as aware datetimes."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def range_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Local days first..last inclusive, as a half-open [start, end) range."""
    return day_bounds(first, zone)[0], day_bounds(last, zone)[1]


def today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


# Dates outside this span are typing mistakes, and the ends of Python's range overflow.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if EARLIEST <= parsed <= LATEST else None


def clean_query(value: str | None, limit: int = 100) -> str:
    """A search string as booking can take it: no NUL or other control characters."""
    return "".join(ch for ch in (value or "") if ch.isprintable())[:limit].strip()
