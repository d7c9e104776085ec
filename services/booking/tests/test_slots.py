"""Slot finding without a database: nearest to the preference, buffers, notice, reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bella_booking.slots import Busy, Preference, SlotCandidate, search_days, start_search

from .test_rules import clinic, local

NOW = local(2027, 1, 4, 7, 0)  # Monday 07:00 Toronto


def find(
    pref: Preference,
    busy: list[Busy] = (),
    service: str = "cleaning",
    limit: int = 2,
    now: datetime = NOW,
    clinic_id: str = "test-toronto",
) -> tuple[list[SlotCandidate], str]:
    c = clinic(clinic_id)
    search = start_search(c, c.service(service), pref, now, limit)
    days = [
        search.first_day + timedelta(days=i)
        for i in range((search.last_day - search.first_day).days + 1)
    ]
    search_days(search, days, busy)
    if not search.found and pref.part_of_day:
        search.strict = False
        search_days(search, days, busy)
    return search.result()


def starts(slots: list[SlotCandidate]) -> list[str]:
    return [s.start.astimezone(clinic().tz).strftime("%a %H:%M") for s in slots]


def test_asap_respects_minimum_notice() -> None:
    slots, reason = find(Preference())
    # Now 07:00, two hours' notice: the first cleaning starts at 09:00 the same day.
    assert starts(slots) == ["Mon 09:00", "Mon 09:15"]
    assert reason == ""


def test_exact_time_free_is_offered_first_then_the_nearest() -> None:
    slots, reason = find(Preference(day=date(2027, 1, 5), time=time(10, 0)))
    assert starts(slots) == ["Tue 09:45", "Tue 10:00"]  # earliest first among the two nearest
    assert reason == ""


def test_taken_time_offers_neighbours_with_a_reason() -> None:
    hygienist = 3  # the only chair doing cleanings
    busy = [Busy(hygienist, local(2027, 1, 5, 9, 30), local(2027, 1, 5, 10, 40))]
    slots, reason = find(Preference(day=date(2027, 1, 5), time=time(10, 0)), busy)
    # Blocked 09:30-10:40 (buffer included): the nearest starts are right after the block (the
    # buffer's end, off the 15-minute grid) and the next grid time; 08:15 is further away.
    assert starts(slots) == ["Tue 10:40", "Tue 10:45"]
    assert "10:00 is not available" in reason


def test_buffer_is_kept_after_every_booking() -> None:
    busy = [Busy(3, local(2027, 1, 5, 8), local(2027, 1, 5, 9, 10))]
    slots, _ = find(Preference(day=date(2027, 1, 5)), busy)
    assert starts(slots) == ["Tue 09:10", "Tue 09:15"]


def test_lunch_break_is_never_offered() -> None:
    slots, _ = find(Preference(day=date(2027, 1, 5), time=time(12, 15)), limit=4)
    for s in slots:
        local_start = s.start.astimezone(clinic().tz).time()
        local_end = s.end.astimezone(clinic().tz).time()
        assert not (time(12) <= local_start < time(13))
        assert local_end <= time(12) or local_start >= time(13)


def test_part_of_day_filters_and_falls_back_to_the_next_day() -> None:
    slots, _ = find(Preference(day=date(2027, 1, 5), part_of_day="evening"))
    assert starts(slots) == ["Tue 17:00", "Tue 17:15"]
    # Wednesday has no evening hours: the next evening is the following Tuesday.
    slots, reason = find(Preference(day=date(2027, 1, 6), part_of_day="evening"))
    assert [s.start.astimezone(clinic().tz).date() for s in slots] == [date(2027, 1, 12)] * 2
    assert "no cleaning openings on wednesday 6 january 2027" in reason.lower()


def test_only_chairs_doing_the_service_are_offered() -> None:
    slots, _ = find(Preference(day=date(2027, 1, 5)), service="cleaning", limit=10)
    assert {s.chair.code for s in slots} == {"chair-3"}
    busy = [Busy(1, local(2027, 1, 5, 8), local(2027, 1, 5, 12))]
    slots, _ = find(Preference(day=date(2027, 1, 5)), busy, service="crown")
    assert {s.chair.code for s in slots} == {"chair-2"}


def test_closed_day_and_holiday_move_to_the_next_open_day() -> None:
    slots, reason = find(Preference(day=date(2027, 1, 10)))  # Sunday
    assert slots[0].start.astimezone(clinic().tz).date() == date(2027, 1, 11)
    assert "closed on Sundays" in reason
    now = local(2027, 3, 20, 9)
    slots, reason = find(Preference(day=date(2027, 3, 26)), now=now)  # Good Friday
    assert slots[0].start.astimezone(clinic().tz).date() == date(2027, 3, 27)
    assert "Good Friday" in reason


def test_nothing_beyond_the_horizon() -> None:
    slots, reason = find(Preference(day=date(2027, 6, 1)))
    assert slots == []
    assert "90 days" in reason


def test_fully_booked_says_so() -> None:
    c = clinic("test-vancouver")
    start = NOW
    busy = [Busy(c.chairs[0].id, start, start + timedelta(days=70))]
    slots, reason = find(Preference(), busy, service="checkup", clinic_id="test-vancouver")
    assert slots == []
    assert "No check-up openings" in reason


def test_slots_on_a_dst_day_are_an_hour_apart_in_utc_across_the_weekend() -> None:
    now = local(2027, 3, 10, 9)
    fri, _ = find(Preference(day=date(2027, 3, 12), time=time(8)), now=now, limit=1)
    mon, _ = find(Preference(day=date(2027, 3, 15), time=time(8)), now=now, limit=1)
    assert fri[0].start == datetime(2027, 3, 12, 13, tzinfo=UTC)
    assert mon[0].start == datetime(2027, 3, 15, 12, tzinfo=UTC)
    assert mon[0].end - mon[0].start == timedelta(minutes=60)


def test_a_part_of_day_the_clinic_never_offers_is_relaxed_at_once() -> None:
    slots, reason = find(
        Preference(day=date(2027, 1, 6), part_of_day="evening"),
        clinic_id="test-vancouver",
        service="checkup",
    )
    vancouver = clinic("test-vancouver").tz
    # No evenings at all: the day's earliest, in Vancouver time.
    assert [s.start.astimezone(vancouver).strftime("%a %H:%M") for s in slots] == [
        "Wed 09:00",
        "Wed 09:15",
    ]
    assert reason.startswith("The clinic has no evening hours")
