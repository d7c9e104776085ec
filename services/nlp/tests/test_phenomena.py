"""Phenomena in phrasings of our own (not copied from the corpus), one behaviour per case."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("six one three, two two two, three three three three", "+16132223333"),
        ("Call me at six forty-seven, five fifty-five, oh one double eight.", "+16475550188"),
        ("Eight one nine, triple five, oh one seven seven.", "+18195550177"),
        ("416.555.0123", "+14165550123"),
        ("My number is 1 800 555 0199.", "+18005550199"),
        ("Four one six five five five zero one two three. Sorry, zero one two four.",
         "+14165550124"),
        ("My cell is 519-555-0186, actually use my home, 519-555-0100.", "+15195550100"),
        ("Area code is four one six, and then five five five, oh one two two.", "+14165550122"),
        ("Oh, it's 613-555-0144.", "+16135550144"),
        ("It's 613-555-01.", None),
        ("Five five five, oh one two three.", None),
        ("I'd rather not give it out.", None),
    ],
)
def test_phone(text: str, phone: str | None) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sure, it's Priya Patel.", "Priya Patel"),
        ("The name is Daniel Côté, C O T E.", "Daniel Côté"),
        ("Uh, yeah, Bob, Bob Smith.", "Bob Smith"),
        ("Lee, L E E, first name Jordan.", "Jordan Lee"),
        ("First name Aaliyah, last name Mohammed.", "Aaliyah Mohammed"),
        ("My first name is Sean, S E A N, and my last name is Murphy.", "Sean Murphy"),
        ("D'Souza. Karen D'Souza.", "Karen D'Souza"),
        ("It's Pierre-Luc St-Onge.", "Pierre-Luc St-Onge"),
        ("It's Van der Berg, Anna Van der Berg.", "Anna Van der Berg"),
        ("my name is josh miller", "Josh Miller"),
        ("Katherine with a K, Katherine Lewis.", "Katherine Lewis"),
        ("Ibrahim, I B R A H I M, Abdullah.", "Ibrahim Abdullah"),
        ("It's Brian, B R Y A N, Walsh.", "Bryan Walsh"),
        ("That's my son, his name is Noah Martin.", "Noah Martin"),
        ("Oui, c'est Jean Dupuis.", "Jean Dupuis"),
        ("Can you hold on a sec?", None),
        ("I don't want to give that.", None),
        ("Sorry?", None),
    ],
)
def test_name(text: str, name: str | None) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("Wednesday at half nine.", "2026-11-25", "09:30", None),
        ("How about Friday around eleven thirty?", "2026-11-27", "11:30", None),
        ("The 30th at 4:15 p.m.", "2026-11-30", "16:15", None),
        ("December 2nd in the morning.", "2026-12-02", None, "morning"),
        ("The Friday after next.", "2026-12-04", None, None),
        ("Next week Thursday at 3.", "2026-12-03", "15:00", None),
        ("The first of December at 9:45.", "2026-12-01", "09:45", None),
        ("Saturday the twenty-eighth at ten.", "2026-11-28", "10:00", None),
        ("At quarter past eleven tomorrow.", "2026-11-24", "11:15", None),
        ("Thursday at twenty to three.", "2026-11-26", "14:40", None),
        ("The day after tomorrow, at noon.", "2026-11-25", "12:00", None),
        ("Friday at 9, no wait, 10.", "2026-11-27", "10:00", None),
        ("Jan 5th at 8:15.", "2027-01-05", "08:15", None),
        ("The Monday after Christmas.", "2026-12-28", None, None),
        ("Three days from now, after 5.", "2026-11-26", None, "evening"),
        ("Could you do seven in the evening?", None, "19:00", None),
        ("Any day next week, mornings ideally.", None, None, "morning"),
        ("Not Monday, Tuesday works better, around 2.", "2026-11-24", "14:00", None),
    ],
)
def test_datetime(text: str, date: str | None, time: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


def test_tomorrow_in_the_small_hours_means_the_coming_day() -> None:
    small_hours = dt.datetime.fromisoformat("2026-03-11T03:10:00-04:00")
    assert run("Tomorrow at 9.", "datetime", small_hours)["date"] == "2026-03-11"
    evening = dt.datetime.fromisoformat("2026-03-11T20:10:00-04:00")
    assert run("Tomorrow at 9.", "datetime", evening)["date"] == "2026-03-12"


def test_dates_resolve_in_the_clinic_zone_across_year_end() -> None:
    # 04:30 UTC on 1 January is still New Year's Eve evening in Vancouver.
    utc = dt.datetime(2027, 1, 1, 4, 30, tzinfo=dt.UTC)
    got = run("Tomorrow at 10.", "datetime", utc, "America/Vancouver")
    assert got["date"] == "2027-01-01"
    assert run("January 3rd.", "datetime", utc, "America/Vancouver")["date"] == "2027-01-03"


def test_dst_change_day_keeps_wall_clock_dates() -> None:
    # 8 March 2026, 01:30 EST, half an hour before clocks go forward.
    before_dst = dt.datetime.fromisoformat("2026-03-08T06:30:00+00:00")
    got = run("Monday at 9.", "datetime", before_dst)
    assert (got["date"], got["time"]) == ("2026-03-09", "09:00")


@pytest.mark.parametrize(
    ("text", "holiday"),
    [
        ("The day before Canada Day.", "2027-06-30"),
        ("Thanksgiving Monday.", "2027-10-11"),
        ("Remembrance Day.", "2027-11-11"),
        ("The Tuesday after Victoria Day.", "2027-05-25"),
        ("Boxing Day in the morning.", "2026-12-26"),
    ],
)
def test_holidays(text: str, holiday: str) -> None:
    assert run(text, "datetime")["date"] == holiday


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("Just a checkup please.", "checkup"),
        ("I need my wisdom teeth out.", "extraction"),
        ("I'd like to get my teeth whitened.", "whitening"),
        ("I have a hole in my tooth.", "filling"),
        ("My crown came off.", "crown"),
        ("Braces for my daughter.", "consultation"),
        ("Deep cleaning.", "cleaning"),
        ("I have a really bad toothache.", "emergency"),
        ("Something's wrong with my tooth, it's super painful.", "emergency"),
        ("My tooth needs to come out.", "extraction"),
        ("A routine check.", "checkup"),
        ("Whatever you have.", None),
    ],
)
def test_service(text: str, service: str | None) -> None:
    assert run(text, "service")["service"] == service


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I'd like to schedule a cleaning.", "book"),
        ("I need to see a dentist.", "book"),
        ("I want to cancel my appointment for Thursday.", "cancel"),
        ("Please delete my appointment.", "cancel"),
        ("I won't make it tomorrow, can we find another time?", "reschedule"),
        ("I need to cancel and rebook for next week.", "reschedule"),
        ("Are you taking new patients?", "info"),
        ("Can I get a quote for a crown?", "info"),
        ("Where is the clinic?", "info"),
        ("Let me talk to an actual person please.", "human"),
        ("Agent.", "human"),
        ("I'd like to speak to Dr. Patel.", "human"),
        ("Je voudrais annuler mon rendez-vous.", "cancel"),
        ("Hi there.", None),
    ],
)
def test_intent(text: str, intent: str | None) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "confirm"),
    [
        ("Yeah, that's fine.", "yes"),
        ("Go for it.", "yes"),
        ("You got it.", "yes"),
        ("Works for me.", "yes"),
        ("No, yeah, that's good.", "yes"),
        ("Yeah, no, that won't work.", "no"),
        ("Definitely not.", "no"),
        ("Hmm, I don't think so.", "no"),
        ("Can we make it 3 instead?", "no"),
        ("Yes, no problem.", "yes"),
        ("I'm not sure, let me check.", None),
        ("What?", None),
    ],
)
def test_confirm(text: str, confirm: str | None) -> None:
    assert run(text, "confirm")["confirm"] == confirm


def test_confirm_only_read_for_yes_no_questions() -> None:
    assert run("Yes, it's Sam Lee.", "name")["confirm"] is None


def test_cleaned_text_drops_fillers_stutters_and_repairs() -> None:
    result = extract("Um, the the Tuesday, sorry, I mean Wednesday, uh, at 10.", "datetime", MONDAY)
    assert result.cleaned_text == "the Wednesday, at 10."
    assert result.artifact_ratio > 0.3
    assert (result.date, result.time) == ("2026-11-25", "10:00")


@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("phone", "It's seven eight oh, five five five, oh one oh oh.", "phone", "+17805550100"),
        ("phone", "Five one four. Five five five. Oh one three eight.", "phone", "+15145550138"),
        ("phone", "I think it's 416-555-0123, or maybe 0132. Yeah, 0132.", "phone",
         "+14165550132"),
        ("phone", "604-555-0120, under Wong. Alice Wong.", "name", "Alice Wong"),
        ("name", "You can put it under Patel.", "name", "Patel"),
        ("name", "It's Daniel. Dan is fine.", "name", "Daniel"),
        ("name", "The booking's for Ethan Clarke.", "name", "Ethan Clarke"),
        ("name", "Yes, it's still Martin Gagné.", "name", "Martin Gagné"),
        ("intent", "Hi, I'm Gabriel Roy and I need to reschedule.", "name", "Gabriel Roy"),
        ("intent", "It's Thursday and I need an appointment.", "name", None),
        ("datetime", "The Civic Holiday Monday at 10.", "date", "2027-08-02"),
        ("datetime", "Anytime before noon on Friday.", "part_of_day", "morning"),
        ("datetime", "Around 4ish tomorrow.", "time", "16:00"),
        ("datetime", "Any day but Monday, in the morning.", "date", None),
        ("datetime", "The first appointment of the day on Tuesday.", "part_of_day", "morning"),
        ("intent", "I can't come on Friday, can we do Monday instead?", "intent", "reschedule"),
        ("intent", "I need to cancel for tomorrow and book for next week.", "intent",
         "reschedule"),
        ("intent", "I can't come Monday and I don't want to rebook right now.", "intent",
         "cancel"),
        ("intent", "Hey, can you take me off the schedule for Friday?", "intent", "cancel"),
    ],
)
def test_more_phenomena(expect: str, text: str, field: str, value: str | None) -> None:
    assert run(text, expect)[field] == value


@pytest.mark.parametrize(
    ("expect", "text", "field", "value"),
    [
        ("intent", "We won't be needing the appointment on Thursday anymore.", "intent", "cancel"),
        ("intent", "Is Dr. Singh available to talk?", "intent", "human"),
        ("intent", "Is the clinic open late on Thursdays?", "intent", "info"),
        ("intent", "Human please.", "intent", "human"),
        ("intent", "Do I need a referral for a root canal?", "intent", "info"),
        ("intent", "I have a cleaning booked for tomorrow, can we make it Friday?", "intent",
         "reschedule"),
        ("intent", "My daughter's appointment, we need a new time.", "intent", "reschedule"),
        ("intent", "I'm wondering if Dr. Patel does implants.", "intent", "info"),
        ("intent", "I was wondering if you had anything Friday.", "intent", "book"),
        ("intent", "Yeah, I'm not gonna make it in today, so just cancel it.", "intent", "cancel"),
        ("service", "I think I need a root canal, the pain is unbearable.", "service",
         "root_canal"),
        ("service", "Get a tooth out.", "service", "extraction"),
        ("service", "Just a look, nothing's hurting.", "service", "checkup"),
        ("service", "My wisdom tooth is coming in and it's killing me.", "service", "emergency"),
        ("service", "My tooth is killing me, can you check it?", "service", "emergency"),
        ("confirm", "Not at all.", "confirm", "no"),
        ("confirm", "I'd prefer a different day.", "confirm", "no"),
        ("confirm", "Actually, can we make it the morning?", "confirm", "no"),
        ("confirm", "Hmm, do you have anything earlier?", "confirm", "no"),
        ("confirm", "Yes, and can I also book my son?", "confirm", "yes"),
        ("confirm", "Hold on, is that the Yonge Street location?", "confirm", None),
    ],
)
def test_intent_service_confirm_phrasings(expect: str, text: str, field: str,
                                          value: str | None) -> None:
    assert run(text, expect)[field] == value


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("Thursday, anytime after 4 p.m.", "2026-11-26", None, "afternoon"),
        ("At 7:45 before work on Wednesday.", "2026-11-25", "07:45", None),
        ("The first Monday in December.", "2026-12-07", None, None),
        ("The last Friday of January at 3.", "2027-01-29", "15:00", None),
        ("I'm free Thursday from 2 to 4.", "2026-11-26", None, "afternoon"),
        ("Can I come at 10 to 9 on Friday?", "2026-11-27", "08:50", None),
        ("Tomorrow, around six-ish in the evening.", "2026-11-24", "18:00", None),
        ("The week after Thanksgiving, on the Wednesday.", "2027-10-20", None, None),
    ],
)
def test_more_datetimes(text: str, date: str | None, time: str | None,
                        part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's Will Tremblay.", "Will Tremblay"),
        ("Sarah Little.", "Sarah Little"),
        ("May Chen.", "May Chen"),
        ("May I ask why?", None),
        ("Will you call me back?", None),
        ("My name is john smith.", "John Smith"),
        ("Um, it's complicated.", None),
        ("Whatever's on file.", None),
        ("Lemme check.", None),
        ("Dave here.", "Dave"),
        ("Hi, Emily here.", "Emily"),
    ],
)
def test_names_that_are_words_and_words_that_are_not_names(text: str, name: str | None) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's Molloy, M O double L O Y. Sean Molloy.", "Sean Molloy"),
        ("Kerr, k e double r, first name Alan.", "Alan Kerr"),
        ("It's Neve, n i a m h, Gallagher.", "Niamh Gallagher"),
        ("Phillips with two Ls, Anne Phillips.", "Anne Phillips"),
    ],
)
def test_spelling_with_doubles_and_lower_case_letters(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I'd like to know if you're open tomorrow.", "info"),
        ("Can you tell me if you have anything Friday?", "book"),
        ("Are you open Saturday? I'd like to come in.", "book"),
        ("Hello, my name is Anita Desai and I'm calling to cancel my appointment.", "cancel"),
        ("Um, so, I've got this thing at work on Thursday, so I need to move my appointment.",
         "reschedule"),
    ],
)
def test_questions_that_book_and_questions_that_ask(text: str, intent: str) -> None:
    assert run(text, "intent")["intent"] == intent


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("I can do the 26th, the Thursday, at 9.", "2026-11-26", "09:00"),
        ("The 26th? No, Saturday.", "2026-11-28", None),
        ("Thursday at 3. Oh wait, I have a meeting then. Make it 4.", "2026-11-26", "16:00"),
        ("The 12th—no, the 13th.", "2026-12-13", None),
        ("10 a.m. Monday, sorry, Tuesday.", "2026-11-24", "10:00"),
    ],
)
def test_restatements_and_repairs_in_dates(text: str, date: str, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


def test_heritage_day_depends_on_the_province() -> None:
    january = dt.datetime(2026, 1, 10, 15, 0, tzinfo=dt.UTC)
    assert run("Heritage Day, morning.", "datetime", january, "America/Halifax")["date"] == (
        "2026-02-16")
    assert run("Heritage Day, morning.", "datetime", january, "America/Edmonton")["date"] == (
        "2026-08-03")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's Omar al-Farouq.", "Omar al-Farouq"),
        ("Maria de los Santos.", "Maria de los Santos"),
        ("Ludwig van Beethoven.", "Ludwig van Beethoven"),
    ],
)
def test_lower_case_particles(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    "text",
    ["Sorry, I was talking to someone else.", "Hello, is this the dentist?", "Uh, one sec.",
     "Oh, sorry, wrong number.", "Is this a recording?", "Bonjour."],
)
def test_no_intent_in_small_talk(text: str) -> None:
    assert run(text, "intent")["intent"] is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Thursday of this week, at 11.", "2026-11-26"),
        ("This week, on Friday.", "2026-11-27"),
        ("Sometime this week.", None),
        ("The Monday after next, at 10:15.", "2026-12-07"),
        ("Tonight, like 7?", "2026-11-23"),
    ],
)
def test_week_relative_days(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nguyễn Văn An.", "Nguyễn Văn An"),
        ("Marie St. John.", "Marie St. John"),
        ("It’s Siân O’Connell.", "Siân O'Connell"),
        ("Sarah Lee And I need a cleaning.", "Sarah Lee"),
        ("Mary-Kate O'Malley-Smith.", "Mary-Kate O'Malley-Smith"),
        ("It's Şeyma Yılmaz.", "Şeyma Yılmaz"),
    ],
)
def test_name_spellings_from_many_places(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("416-555-0199, or my husband's, 416-555-0188.", "+14165550199"),
        ("416-555-0199, sorry, 416-555-0198.", "+14165550198"),
        ("Four sixteen, five fifty-five, oh one ninety-nine.", "+14165550199"),
        ("plus one four one six five five five oh one two three", "+14165550123"),
    ],
)
def test_which_number_when_two_are_said(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "confirm"),
    [
        ("I guess not.", "no"),
        ("I don't mind.", "yes"),
        ("Sure, why not.", "yes"),
        ("I don't know yet.", None),
        ("I'm afraid not.", "no"),
        ("Hmm, yes and no.", None),
    ],
)
def test_more_yes_no(text: str, confirm: str | None) -> None:
    assert run(text, "confirm")["confirm"] == confirm


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Evening, not morning.", "confirm", "no"),
        ("Evening, not morning.", "part_of_day", "evening"),
        ("Not 9, 10.", "time", "10:00"),
        ("No, I said 2:30, not 3:30.", "time", "14:30"),
        ("Close, but it's Friday, not Thursday.", "date", "2026-11-27"),
        ("Yes, Tuesday at 10 is great.", "confirm", "yes"),
    ],
)
def test_corrections_after_a_confirmation_question(text: str, field: str, value: str) -> None:
    assert run(text, "confirm")[field] == value


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Friday at 3 15.", "15:15"),
        ("Five past nine on Monday.", "09:05"),
        ("Twenty-five to eleven tomorrow.", "10:35"),
        ("At 3 for 45 minutes.", "15:00"),
    ],
)
def test_clock_phrasings(text: str, time: str) -> None:
    assert run(text, "datetime")["time"] == time


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("Not a cleaning, a checkup.", "checkup"),
        ("I don't need a cleaning, just a filling.", "filling"),
        ("A crown instead of a filling.", "crown"),
        ("I'm not sure, maybe a cleaning?", "cleaning"),
    ],
)
def test_negated_services(text: str, service: str) -> None:
    assert run(text, "service")["service"] == service


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I don't want to cancel, I just want to confirm the time.", None),
        ("I'm not cancelling, I need to move it to Friday.", "reschedule"),
        ("Please cancel my appointment.", "cancel"),
    ],
)
def test_negated_cancel(text: str, intent: str | None) -> None:
    assert run(text, "intent")["intent"] == intent
