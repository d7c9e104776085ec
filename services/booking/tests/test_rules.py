"""Clinic rules without a database: hours and breaks, holidays, notice, horizon, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bella_booking.config import ClinicConfig, load_clinics
from bella_booking.errors import InvalidArgument, RuleViolation
from bella_booking.rules import Clinic, clinic_from_config
from pydantic import ValidationError

TESTS = Path(__file__).parent
TORONTO = ZoneInfo("America/Toronto")


def clinic(clinic_id: str = "test-toronto", **overrides: object) -> Clinic:
    configs = {c.id: c for c in load_clinics(TESTS / "clinics.yaml")}
    config = configs[clinic_id]
    if overrides:
        config = ClinicConfig.model_validate({**config.model_dump(), **overrides})
    return clinic_from_config(config, {c.code: i + 1 for i, c in enumerate(config.chairs)})


def local(y: int, m: int, d: int, hh: int, mm: int = 0, tz: ZoneInfo = TORONTO) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz).astimezone(UTC)


NOW = local(2027, 1, 4, 7, 0)  # Monday 4 January 2027, 07:00 Toronto


def test_demo_config_has_both_clinics_with_nine_services() -> None:
    clinics = {c.id: c for c in load_clinics()}
    assert set(clinics) == {"toronto", "vancouver"}
    assert clinics["toronto"].time_zone == "America/Toronto"
    assert clinics["toronto"].province == "ON"
    assert clinics["toronto"].phone_number == "+16475550100"
    assert clinics["vancouver"].time_zone == "America/Vancouver"
    assert clinics["vancouver"].province == "BC"
    assert clinics["vancouver"].phone_number == "+16045550100"
    for c in clinics.values():
        assert set(c.services) == {
            "cleaning",
            "checkup",
            "emergency",
            "filling",
            "crown",
            "root_canal",
            "extraction",
            "whitening",
            "consultation",
        }
    assert clinics["toronto"].services["cleaning"].minutes == 60
    assert clinics["toronto"].services["crown"].minutes == 90


def test_breaks_split_the_day_into_segments() -> None:
    c = clinic()
    segments = c.segments(date(2027, 1, 5))  # Tuesday: 08-12, 13-20
    assert segments == [
        (local(2027, 1, 5, 8), local(2027, 1, 5, 12)),
        (local(2027, 1, 5, 13), local(2027, 1, 5, 20)),
    ]
    assert c.segments(date(2027, 1, 10)) == []  # Sunday: closed


def test_booking_inside_hours_returns_the_end() -> None:
    c = clinic()
    end = c.check_bookable(c.service("cleaning"), local(2027, 1, 5, 9), NOW)
    assert end == local(2027, 1, 5, 10)


@pytest.mark.parametrize(
    ("start", "rule", "words"),
    [
        (local(2027, 1, 5, 11, 30), "outside_hours", "does not fit"),  # runs into lunch
        (local(2027, 1, 5, 7, 0), "outside_hours", "08:00–12:00"),  # before opening
        (local(2027, 1, 4, 8, 0), "min_notice", "at least 2 hours"),  # one hour from now
        (local(2027, 1, 3, 9, 0), "past", "already passed"),
        (local(2027, 1, 10, 9, 0), "closed_day", "closed on Sundays"),
        (local(2027, 7, 1, 9, 0), "horizon", "90 days"),
    ],
)
def test_rule_violations_say_what_is_wrong(start: datetime, rule: str, words: str) -> None:
    c = clinic()
    with pytest.raises(RuleViolation) as caught:
        c.check_bookable(c.service("cleaning"), start, NOW)
    assert caught.value.rule == rule
    assert words in caught.value.message


def test_statutory_holidays_follow_the_province() -> None:
    on, bc = clinic("test-toronto"), clinic("test-vancouver")
    # Family Day: third Monday of February in both provinces (15 Feb 2027).
    assert on.holiday(date(2027, 2, 15)) is not None
    assert bc.holiday(date(2027, 2, 15)) is not None
    # First Monday of August: British Columbia Day is statutory in BC; Ontario's Civic Holiday
    # is not a statutory holiday. Remembrance Day likewise closes only the BC clinic.
    assert bc.holiday(date(2027, 8, 2)) == "British Columbia Day"
    assert on.holiday(date(2027, 8, 2)) is None
    assert bc.holiday(date(2027, 11, 11)) is not None
    assert on.holiday(date(2027, 11, 11)) is None
    # Good Friday 26 March 2027 closes the Toronto clinic.
    now = local(2027, 3, 1, 9)
    with pytest.raises(RuleViolation) as caught:
        on.check_bookable(on.service("checkup"), local(2027, 3, 26, 9), now)
    assert caught.value.rule == "holiday"
    assert "Good Friday" in caught.value.message
    assert on.segments(date(2027, 3, 26)) == []


def test_spring_forward_monday_opens_at_the_right_utc_instant() -> None:
    c = clinic()
    # DST starts Sunday 14 March 2027: 08:00 Toronto is 13:00 UTC on Friday, 12:00 UTC on Monday.
    assert c.segments(date(2027, 3, 12))[0][0] == datetime(2027, 3, 12, 13, tzinfo=UTC)
    assert c.segments(date(2027, 3, 15))[0][0] == datetime(2027, 3, 15, 12, tzinfo=UTC)


def test_night_segment_on_dst_days_has_its_real_length() -> None:
    night = {"sun": {"open": "00:00", "close": "06:00"}}
    c = clinic(hours=night)
    spring = c.segments(date(2027, 3, 14))  # 02:00 -> 03:00: a 5-hour night
    fall = c.segments(date(2027, 11, 7))  # 02:00 -> 01:00: a 7-hour night
    assert spring[0][1] - spring[0][0] == timedelta(hours=5)
    assert fall[0][1] - fall[0][0] == timedelta(hours=7)


def test_unknown_service_lists_the_offered_ones() -> None:
    c = clinic()
    with pytest.raises(InvalidArgument) as caught:
        c.service("teeth-polish")
    assert "cleaning" in caught.value.message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("time_zone", "Mars/Olympus", "unknown IANA time zone"),
        ("province", True, "string"),  # a bare YAML ON
        ("province", "ZZ", "not a Canadian province"),
        ("phone_number", "12", "not a"),
        ("hours", {"mon": {"open": "17:00", "close": "08:00"}}, "closes at"),
        ("hours", {"funday": {"open": "08:00", "close": "09:00"}}, "unknown weekday"),
    ],
)
def test_bad_config_is_refused_with_the_field_named(field: str, value: object, words: str) -> None:
    base = load_clinics(TESTS / "clinics.yaml")[0].model_dump()
    with pytest.raises(ValidationError) as caught:
        ClinicConfig.model_validate({**base, field: value})
    assert words in str(caught.value)
    assert field in str(caught.value)
