"""Phenomena first met in the round-2 mixed batches (tests/corpus/batches/r2a-*.jsonl),
checked here in other words than the batch lines that revealed them."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A move "from X to Y" names the day it goes to, not a span of days.
        ("Could you switch me from Wednesday to Friday?", "2026-11-27"),
        ("I have to change it from Monday to Tuesday.", "2026-11-24"),
        ("Can we push it from Thursday to next Monday?", "2026-11-30"),
        ("I'm hoping to shift my cleaning from Tuesday over to Wednesday.", "2026-11-25"),
        # A span of days stays a span.
        ("I'm around Tuesday to Thursday.", None),
    ],
)
def test_a_move_from_one_day_to_another(text: str, date: str | None) -> None:
    assert run(text, "intent")["date"] == date


# --- intents -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # "make it" said of not coming is not asking for another time.
        ("I've got an appointment Thursday, my son's got the flu, we won't be able to make it.",
         "cancel"),
        ("Regarding my cleaning on the 4th, I'm not going to make it, sorry.", "cancel"),
        ("I'm booked in for this afternoon but I really don't think I'll make it.", "cancel"),
        ("I have a checkup Monday and I doubt I can make it.", "cancel"),
        # ... while "make it" naming a new time still is.
        ("I have a cleaning booked Friday, could we make it Monday?", "reschedule"),
        ("My appointment's at 2, can I make it a bit later?", "reschedule"),
    ],
)
def test_not_making_it_is_not_a_change(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Held up with an appointment held: not coming, or a change when another day is tried.
        ("I was meant to be in at 10 but I got called in to work.", "cancel"),
        ("My cleaning's this afternoon but something's come up.", "cancel"),
        ("I've got a checkup at 4 and I'm stuck in a meeting, could we try Friday?", "reschedule"),
        ("I was supposed to be there at 9, I got tied up, can we aim for next week?", "reschedule"),
        ("My appointment's today but I'm caught up at the hospital with my mom, can I try for "
         "Monday?", "reschedule"),
        # Without an appointment held, it is still a booking.
        ("Something came up last month and I never booked, can I book a cleaning now?", "book"),
    ],
)
def test_held_up_with_an_appointment(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Away "for my appointment": one is held, so another day asked for is a change.
        ("We'll be on vacation for our cleanings on the 9th, could we do the week after?",
         "reschedule"),
        ("I'm travelling for my checkup next Tuesday, can we do Thursday instead?", "reschedule"),
        ("I won't be around for my appointment Monday.", "cancel"),
        # A booking "for my checkup" holds none.
        ("Can I come in for my checkup next week?", "book"),
    ],
)
def test_away_for_my_appointment(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


# MONDAY is 2026-11-23; March break 2027 (the week after the second Friday in March) is
# 15-19 March, and 2026's is 16-20 March.
EARLY_MARCH = dt.datetime.fromisoformat("2026-03-03T11:00:00-05:00")


@pytest.mark.parametrize(
    ("text", "now", "date"),
    [
        # March break is a week: a weekday said with it is that week's.
        ("Over spring break, the Thursday if you can.", EARLY_MARCH, "2026-03-19"),
        ("March break, Monday morning.", EARLY_MARCH, "2026-03-16"),
        ("The Tuesday after March break.", EARLY_MARCH, "2026-03-24"),
        ("Could we do March break, like the Friday?", MONDAY, "2027-03-19"),
        # ... and alone names no single day.
        ("Sometime during March break.", EARLY_MARCH, None),
    ],
)
def test_march_break_is_a_week(text: str, now: dt.datetime, date: str | None) -> None:
    assert run(text, "datetime", now)["date"] == date


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # "the first/earliest appointment" is a slot asked for, not one held.
        ("Could I have the earliest appointment on Friday?", "book"),
        ("Can we get the first available appointment next week?", "book"),
        ("Any chance I can get the soonest appointment you have?", "book"),
        # Asking to be reminded of what is booked is a question.
        ("Could you remind me what day my cleaning is?", "info"),
        ("Can you remind me what time we're booked for?", "info"),
        ("Would you remind me about my appointment time, I lost the card.", "info"),
    ],
)
def test_first_appointment_and_reminders(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    "text",
    ["They're booked in for Tuesday, right?", "We're booked for the 4th, is that still on?"],
)
def test_were_booked_is_not_rebooked(text: str) -> None:
    assert run(text, "intent")["intent"] != "reschedule"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A message for someone at the clinic asks for a person.
        ("Can you let Dr. Okafor know I phoned?", "human"),
        ("Would you tell the receptionist I called back?", "human"),
        ("I'd like to leave my message with the office manager, please pass it on.", "human"),
        ("Could you relay a message to the hygienist for me?", "human"),
        # Not a message: the clinic is "them", the caller wants something done.
        ("Just tell them I need to cancel Friday.", "cancel"),
    ],
)
def test_a_message_for_staff(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Asking for a name, number or address is a question about the clinic.
        ("Could I get the name of the dentist who did my filling?", "info"),
        ("I'd like to have your fax number for my insurance company.", "info"),
        ("Can I get the address of your other location?", "info"),
        # Someone free to talk asks for a person.
        ("Is there somebody free to talk to me about my son's braces?", "human"),
        ("Are any of the staff around who can speak with me?", "human"),
        # Another day asked for after ruling one out is a change.
        ("I can't make Thursday now, could I come Friday?", "reschedule"),
        ("My appointment's Monday but I can't come, could I switch to Tuesday?", "reschedule"),
    ],
)
def test_names_numbers_staff_and_another_day(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # "the next one" after a weekday ruled out: that weekday a week on.
        ("Not this Wednesday, the next one.", "2026-12-02"),
        ("Not Thursday but the next one, in the morning.", "2026-12-03"),
        ("Friday? Not this one, the next one.", "2026-12-04"),
    ],
)
def test_the_next_one_after_a_day_ruled_out(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A holiday said to be over is not next year's: the day said after it stands.
        ("Remembrance Day? No, that was a couple weeks ago. Wednesday then.", "2026-11-25"),
        ("Halloween's been and gone, so Friday at 3.", "2026-11-27"),
        ("Thanksgiving Monday... oh, it already passed. Thursday's good.", "2026-11-26"),
        # A holiday still ahead keeps its place.
        ("Christmas Eve? That's over a month away, but sure, the 24th.", "2026-12-24"),
    ],
)
def test_a_holiday_said_to_be_over(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "date", "part_of_day"),
    [
        # "the earliest you've got" on a day said just before it: that day's morning.
        ("Thursday, the earliest you have.", "2026-11-26", "morning"),
        ("Tomorrow the earliest possible, please.", "2026-11-24", "morning"),
        ("Wednesday, earliest slot you can give me.", "2026-11-25", "morning"),
        # Without a day, "the earliest" is the soonest date, not a part of day.
        ("Any day, the earliest you have.", None, None),
    ],
)
def test_the_earliest_on_a_day(text: str, date: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["part_of_day"]) == (date, part_of_day)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # One of several appointments held, dropped.
        ("We've got three cleanings booked Thursday, can you scrap one of them?", "cancel"),
        ("I have two checkups on the 5th, please drop the later one.", "cancel"),
        # "get booked for Friday" asks for a booking; none is held.
        ("Could I get booked for Wednesday?", "book"),
        ("Can I be booked in for tomorrow?", "book"),
    ],
)
def test_dropping_one_and_getting_booked(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # "same time" with a day counted from today: the time it is now (10:15).
        ("Tomorrow, at the same time.", "2026-11-24", "10:15"),
        ("In a week, same time?", "2026-11-30", "10:15"),
    ],
)
def test_same_time_a_day_counted_from_today(text: str, date: str, time: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # An indirect question about the clinic is info ...
        ("I was just wondering whether you guys accept Manulife.", "info"),
        ("Curious if your dentists see toddlers.", "info"),
        ("I wanted to ask if you offer emergency visits on Sundays.", "info"),
        # ... unless it asks for a slot.
        ("I was wondering if you have any openings Thursday.", "book"),
    ],
)
def test_indirect_questions(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    "text",
    [
        # A booking made with a mistake in it, corrected: a change.
        "I set up a checkup on your website but I chose the wrong day, I meant Friday.",
        "We made an appointment yesterday and I think I clicked the wrong time.",
        "I booked the wrong Tuesday, it should be the one after.",
    ],
)
def test_the_wrong_day_booked(text: str) -> None:
    assert run(text, "intent")["intent"] == "reschedule"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # When someone works is a question about the schedule ...
        ("Which days is the dentist in?", "info"),
        ("When is Dr. Mensah in this week?", "info"),
        # ... whether they are in now asks for them.
        ("Is Dr. Mensah in?", "human"),
    ],
)
def test_when_staff_are_in(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


# --- yes/no ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "confirm"),
    [
        # A positive word negated through an article or intensifier is a no.
        ("Hmm, that's not a great time for us.", "no"),
        ("Sorry, it isn't very convenient.", "no"),
        ("No, that's not the best day.", "no"),
        # ... while "not a problem" stays a yes.
        ("Not a problem, book it.", "yes"),
    ],
)
def test_not_a_good_time(text: str, confirm: str) -> None:
    assert run(text, "confirm")["confirm"] == confirm


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Asking leave is a question ...
        ("Would it be alright if my husband sits in with me?", "info"),
        ("Is it fine to eat before my cleaning?", "info"),
        # ... unless the leave asked is to book.
        ("Is it okay if I book my daughter in as well?", "book"),
        # "put it back on" is about a crown, not putting a person on the line.
        ("My crown popped off, can you put it back on this week?", "book"),
    ],
)
def test_asking_leave_and_put_back_on(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    "text",
    [
        # Rebooking put off ("I'll have to call back") leaves a cancellation now.
        "My checkup on Monday won't work, I'll need to call you back to rebook it.",
        "I can't do my appointment tomorrow, we'll just call back to reschedule.",
    ],
)
def test_rebooking_put_off_after_have_to(text: str) -> None:
    assert run(text, "intent")["intent"] == "cancel"
