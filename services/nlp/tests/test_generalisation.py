"""Phenomena first met in tests/corpus/extra.jsonl, checked here in other words."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("Thursday at 2 then.", "2026-11-26", "14:00"),
        ("Wednesday, 10 sharp.", "2026-11-25", "10:00"),
        ("Friday at 9 a.m. No, make that 10.", "2026-11-27", "10:00"),
        ("Christmas is a Friday, so the Monday after, at 11.", "2026-12-28", "11:00"),
        ("Boxing Day? No, the day before, at 9.", "2026-12-25", "09:00"),
        ("The last Thursday of the month.", "2026-11-26", None),
        ("The last Monday of next month at 3.", "2026-12-28", "15:00"),
        ("Sometime between the 1st and the 5th, say the 3rd.", "2026-12-03", None),
        ("Wednesday next week at 4.", "2026-12-02", "16:00"),
        ("Three weeks Friday, at 1.", "2026-12-18", "13:00"),
        ("The second week of December, probably the Wednesday.", "2026-12-09", None),
        ("The week after New Year's.", None, None),
        ("Thanksgiving weekend, the Friday.", "2027-10-08", None),
        ("Victoria Day weekend, on the Tuesday, at 9.", "2027-05-25", "09:00"),
        ("Same time tomorrow.", "2026-11-24", "10:15"),
        ("tues at 11", "2026-11-24", "11:00"),
        ("Friday week, at 2.", "2026-12-04", "14:00"),
        ("In a fortnight at 10.", "2026-12-07", "10:00"),
        ("Later today, fiveish.", "2026-11-23", "17:00"),
        ("Thursday, 2:45ish.", "2026-11-26", "14:45"),
        ("The week of the 7th, on the Thursday, at 9.", "2026-12-10", "09:00"),
        ("Three weeks from today, Monday, at 1.", "2026-12-14", "13:00"),
        ("In a week, on the Wednesday, at 10.", "2026-12-02", "10:00"),
        ("Thurs, 4 pm.", "2026-11-26", "16:00"),
    ],
)
def test_dates_and_times(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


def test_the_earliest_slot_on_a_day_is_the_morning() -> None:
    got = run("Whatever's the earliest available on Friday.", "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == ("2026-11-27", None, "morning")
    assert run("What's the earliest you have?", "intent")["part_of_day"] is None


def test_two_bare_hours_are_a_part_of_day() -> None:
    got = run("Wednesday, maybe 10 or 11.", "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == ("2026-11-25", None, "morning")


def test_slash_dates_take_a_reading_still_ahead() -> None:
    # 12/3: 3 December or 12 March; both are defensible, and both are ahead.
    assert run("12/3 at 10", "datetime")["date"] in ("2026-12-03", "2027-03-12")
    # 24/7 is not a date.
    assert run("Are you open 24/7?", "intent")["date"] is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Four one six, five five... sorry, triple five, oh one two two.", "+14165550122"),
        ("Two oh four and then five five five, oh one three three.", "+12045550133"),
        ("647 555 0188, uh, 0181, sorry.", "+16475550181"),
        ("Six. One. Three. Five. Five. Five. Oh. One. Two. Two.", "+16135550122"),
    ],
)
def test_phone_repairs(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Niamh Kelly, that's N I A M H.", "Niamh Kelly"),
        ("Sean Doyle, S H A W N.", "Shawn Doyle"),
        ("Ana. A N A. Last name Moreau.", "Ana Moreau"),
        ("Surname's Bassi, first name Luca.", "Luca Bassi"),
        ("It's Minh Chau Le.", "Minh Chau Le"),
        ("It's Jenny Ng.", "Jenny Ng"),
    ],
)
def test_spelling_of_the_first_name_and_late_last_names(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("service", "They said I'll need the nerve treated.", "service", "root_canal"),
        ("service", "To take out a wisdom tooth.", "service", "extraction"),
        ("service", "Scaled and polished.", "service", "cleaning"),
        ("intent", "Is there someone I could speak with?", "intent", "human"),
        ("intent", "Do you accept my employer's dental plan?", "intent", "info"),
        ("intent", "Is there a pharmacy in the building?", "intent", "info"),
        ("intent", "I'm not going to be able to come Friday.", "intent", "cancel"),
        ("intent", "Could you move my son's checkup to Monday?", "intent", "reschedule"),
        ("confirm", "Okie dokie.", "confirm", "yes"),
        ("confirm", "Hmm, I'd rather not.", "confirm", "no"),
        ("confirm", "No thanks, I'm fine.", "confirm", "no"),
        ("confirm", "Yeah, I'm good with that.", "confirm", "yes"),
        ("intent", "Is there a cancellation fee?", "intent", "info"),
        ("name", "Naw, skip it.", "name", None),
        ("name", "Hmmm, hang on.", "name", None),
        ("name", "Pfft, whatever.", "name", None),
        ("confirm", "Suppose so.", "confirm", "yes"),
        ("intent", "Operator, please.", "intent", "human"),
        ("intent", "Where can I park?", "intent", "info"),
        ("intent", "Is anybody there?", "intent", None),
        ("intent", "Just wondering if I could book an appointment.", "intent", "book"),
        ("intent", "What's your email?", "intent", "info"),
        ("intent", "I have to bail on my cleaning tomorrow.", "intent", "cancel"),
        ("intent", "Are you open over the Easter weekend?", "intent", "info"),
        ("intent", "Could I drop my booking for Friday?", "intent", "cancel"),
        ("intent", "Can I talk with your hygienist?", "intent", "human"),
        ("service", "Just to have my teeth looked at.", "service", "checkup"),
        ("confirm", "Yessir, go ahead.", "confirm", "yes"),
        ("name", "I'm calling for Peter Wolfe.", "name", "Peter Wolfe"),
        ("name", "It's for my daughter Keira.", "name", "Keira"),
        ("name", "It's for my daughter.", "name", None),
        ("service", "There's a hole in my back tooth.", "service", "filling"),
        ("service", "My gum is all puffy and there's pus.", "service", "emergency"),
        ("intent", "I just need the front desk.", "intent", "human"),
        ("intent", "Could I talk to whoever does the scheduling?", "intent", "human"),
        ("intent", "Will insurance cover a crown?", "intent", "info"),
        ("intent", "Please remove us from Thursday's list.", "intent", "cancel"),
        ("intent", "I'm running a bit late, could I come later?", "intent", "reschedule"),
        ("intent", "Do you treat seniors?", "intent", "info"),
        ("confirm", "I don't believe that's right.", "confirm", "no"),
        ("intent", "I'd like to book a checkup, name's Jordan Park.", "intent", "book"),
        ("intent", "I'm booking for my husband, Arjun Mehta.", "name", "Arjun Mehta"),
    ],
)
def test_phrasings(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


# Blind batch 13 (x1120-x1181): phenomena checked in other words.
@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # A weekday after a day-less week is that weekday in that week.
        ("Sometime the following week. Maybe the Tuesday, at 3.", "2026-12-01", "15:00"),
        ("The week before Christmas. Thursday, morning.", "2026-12-17", None),
        ("Next week, I guess. Friday?", "2026-12-04", None),
        # "<day>'s" is the day, not a plural.
        ("Friday's best for me.", "2026-11-27", None),
        ("Christmas Day's a Friday, so the day after, at 9.", "2026-12-26", "09:00"),
        # A date in a tag question checks a fact; it does not replace the day asked for.
        ("Wednesday at 1. The office is closed Friday, isn't it?", "2026-11-25", "13:00"),
        ("Friday, no, Thursday.", "2026-11-26", None),
    ],
)
def test_batch13_dates(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("We don't want the appointment on Friday anymore.", "cancel"),
        ("I won't need my cleaning spot after all.", "cancel"),
        ("I no longer need this booking.", "cancel"),
    ],
)
def test_batch13_no_longer_needed(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


def test_not_needing_a_change_is_not_a_cancellation() -> None:
    got = run("I don't need my appointment moved, I'm just checking the time.", "intent")
    assert got["intent"] != "cancel"


# Blind batch 14 (x1182-x1245): phenomena checked in other words.
@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # "the long weekend" anchors "the <weekday> after it" (next one: Family Day, Feb 13-15).
        ("There's a long weekend coming up, right? The Wednesday after that, at 3.",
         "2027-02-17", "15:00"),
        ("Labour Day. No, the Friday before it.", "2027-09-03", None),
        # A bare mention of the long weekend names no day and does not replace one.
        ("Thursday at 2, unless that's the long weekend.", "2026-11-26", "14:00"),
    ],
)
def test_batch14_dates(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("intent", "Can someone call me back, please?", "intent", "human"),
        ("intent", "I just want to deal with an actual human.", "intent", "human"),
        ("intent", "Is the clinic taking in new patients?", "intent", "info"),
        ("intent", "Could you get my daughter and me in on the same day?", "intent", "book"),
        ("intent", "I need to change our Friday cleaning to next week.", "intent", "reschedule"),
        ("intent", "I won't make my appointment this afternoon.", "intent", "cancel"),
        ("service", "It's my son's first visit.", "service", "checkup"),
    ],
)
def test_batch14_phrasings(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A first name spelled to confirm it, then the surname alone, is one name.
        ("Okay. Ruth. R U T H. Okonkwo-Bell.", "Ruth Okonkwo-Bell"),
        ("Dave. D A V E. Thanks.", "Dave"),
    ],
)
def test_batch14_spelled_first_name_then_surname(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


# Blind batch 15 (x1246-x1301): phenomena checked in other words.
@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("name", "Katherine, with a K, Olsen.", "name", "Katherine Olsen"),
        ("name", "Sara without an H.", "name", "Sara"),
        ("name", "Hi, it's Marco, M A R C O, de Luca.", "name", "Marco de Luca"),
        ("intent", "Please take our names off Monday's list.", "intent", "cancel"),
        ("intent", "We need to ditch the cleaning on the 5th.", "intent", "cancel"),
        ("intent", "What's the latest you guys close on Fridays?", "intent", "info"),
        ("service", "Just a quick once over, nothing fancy.", "service", "checkup"),
    ],
)
def test_batch15_phrasings(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


# Blind batch 16 (x1302-x1356): phenomena checked in other words.
@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # A day ruled out still anchors what comes after it.
        ("Not this Thursday, the one after, at 2.", "2026-12-03", "14:00"),
        ("Not Christmas itself, the day after.", "2026-12-26", None),
        ("The second Wednesday of the new year, at 10.", "2027-01-13", "10:00"),
    ],
)
def test_batch16_dates(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Can you get me through to the office manager?", "human"),
        ("My checkup's on the 3rd, but I have to push it.", "reschedule"),
    ],
)
def test_batch16_phrasings(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


# Blind batch 17 (x1357-x1410): phenomena checked in other words.
@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("name", "Family name's Okoro, first name's Chidi.", "name", "Chidi Okoro"),
        ("name", "Madisyn with a Y, Clarke.", "name", "Madisyn Clarke"),
        ("name", "Kristy with a K Y, Dunn.", "name", "Kristy Dunn"),
        ("name", "Sean without an H, Sean Doyle.", "name", "Sean Doyle"),
        ("intent", "Are you relocating to a new building?", "intent", "info"),
        ("intent", "Please call the cleaning off, I'm sick.", "intent", "cancel"),
        ("service", "The tooth I had the filling in needs a root canal.", "service", "root_canal"),
        ("service", "I had a cleaning last year, so just the cleaning again.", "service",
         "cleaning"),
    ],
)
def test_batch17_phrasings(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


def test_weekday_replacing_a_holiday_near_it() -> None:
    # A weekday replacing a holiday just ruled out is the one nearest that holiday.
    monday = dt.datetime(2026, 5, 11, 10, 0, tzinfo=MONDAY.tzinfo)
    got = run("Victoria Day? Oh, you're closed. Tuesday then.", "datetime", monday)
    assert got["date"] == "2026-05-19"
    # A holiday months away ("that's American") does not pull the weekday with it.
    got = run("Thanksgiving? No, that's the American one. Friday then.", "datetime")
    assert got["date"] == "2026-11-27"


# Blind batch 18 (x1411-x1464): phenomena checked in other words.
@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("name", "Um, just put down Sal.", "name", "Sal"),
        ("name", "Eh. Marguerite.", "name", "Marguerite"),
        ("name", "Oksana. First name. Last name, um, Bondar.", "name", "Oksana Bondar"),
        ("intent", "Where abouts are you guys?", "intent", "info"),
        ("service", "I'd like the yellowing gone.", "service", "whitening"),
        ("datetime", "Between the 1st and the 7th of December. The Thursday?", "date",
         "2026-12-03"),
    ],
)
def test_batch18_phrasings(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


# Blind batch 19 (x1465-x1518): phenomena checked in other words.
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Three Tuesdays from today, please.", "2026-12-08"),
        ("A Thursday from now.", "2026-11-26"),
        ("Near the end of the month. The last Wednesday?", "2026-11-25"),
        ("Last Monday was bad, so the Friday.", "2026-11-27"),
    ],
)
def test_batch19_dates(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # The area code said after the local number.
        ("It's 555-0184, area code 905.", "+19055550184"),
        ("Five five five, zero one one two, and the area code is two oh four.", "+12045550112"),
        ("Area code 416, then 555-0199.", "+14165550199"),
    ],
)
def test_batch19_area_code_after(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        # A full name as a clause of its own, or signed off, on a phone or intent line.
        ("Okay, Tomasz Nowak, six four seven, five five five, oh one three two.", "phone",
         "Tomasz Nowak"),
        ("905-555-0111, Adaeze Okonkwo.", "phone", "Adaeze Okonkwo"),
        ("Phone: 780 555 0102. Name: Lars Eriksen.", "phone", "Lars Eriksen"),
        ("Rebooking for Monday, Ines Carvalho.", "intent", "Ines Carvalho"),
        ("Hello, Graham Boyle here, I have to cancel Friday.", "intent", "Graham Boyle"),
        # A courtesy title after "this is" is not part of the name.
        ("Hi, this is Ms. Harriet Lowe, about my cleaning.", "intent", "Harriet Lowe"),
        # Not names: a single word, a holiday, a plan.
        ("Sure, Tuesday, 416-555-0190.", "phone", None),
        ("Can I come in the day after Boxing Day?", "intent", None),
    ],
)
def test_bare_full_name_on_other_lines(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


@pytest.mark.parametrize(
    ("text", "part_of_day"),
    [
        # A greeting opening the call is not a part of day...
        ("Good afternoon, could I come in Thursday?", None),
        ("Hi there, good evening, Saturday if you can.", None),
        # ...but the same words as an answer are.
        ("Thursday, good morning if you have it.", "morning"),
        ("Good morning works, Thursday.", "morning"),
    ],
)
def test_greeting_is_not_a_part_of_day(text: str, part_of_day: str | None) -> None:
    assert run(text, "datetime")["part_of_day"] == part_of_day


@pytest.mark.parametrize("text", ["The first one.", "the second one please", "Third option.",
                                  "Uh, the 2nd one works"])
def test_a_pick_among_offered_slots_is_not_a_date_or_time(text: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (None, None)
