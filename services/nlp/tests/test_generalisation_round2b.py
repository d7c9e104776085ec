"""Round 2b: phenomena met on ordinary mixed blind batches (tests/corpus/batches/r2b-*.jsonl)
and probes, checked here in other words than the lines that revealed them."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


# A nickname first, then the real (legal, full) name after "but": the real name is booked.
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Friends call me Patty but my full name is Patricia Olsen.", "Patricia Olsen"),
        ("Everybody says Robbie, but his legal name is Roberto Silva.", "Roberto Silva"),
        ("I go by Kit but the name on my card is Katarzyna Nowicka.", "Katarzyna Nowicka"),
        ("My name's Wendell Price but folks call me Butch.", "Wendell Price"),
    ],
)
def test_nickname_then_real_name(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


# On intent and phone lines: a relation followed by the person's name inside the sentence.
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("I'm phoning about my daughter Noor Haddad, she needs her teeth cleaned.", "intent",
         "Noor Haddad"),
        ("Can I bring my grandson Mateo in for a checkup?", "intent", "Mateo"),
        ("My wife Ingrid has a toothache.", "intent", "Ingrid"),
        ("It's 204-555-0119, for my dad Walter Sinclair.", "phone", "Walter Sinclair"),
        ("My son has an appointment Friday and can't make it.", "intent", None),
        ("I'd like to book my husband and myself in.", "intent", None),
    ],
)
def test_relation_then_name_in_sentence(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# "It's for <full name>" on phone and intent lines; a single word after "it's for" is not read
# as a name there (a month, a product, a service).
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("905-555-0177. This is for Yvonne Charlebois.", "phone", "Yvonne Charlebois"),
        ("It's for Darius Mohammadi, and I'd like a cleaning.", "intent", "Darius Mohammadi"),
        ("It's for April, the cleaning.", "intent", None),
        ("It's for Invisalign, what does it cost?", "intent", None),
        ("That's for Thursday, right?", "intent", None),
    ],
)
def test_its_for_full_name(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# A lone first name signed off ("Mandeep here") on intent and phone lines.
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Hey, Corinne here, I need to move my cleaning.", "intent", "Corinne"),
        ("Hi, Tomasz speaking, do you take walk-ins?", "intent", "Tomasz"),
        ("Okay, Ravi calling back, 416-555-0104.", "phone", None),
        ("Hi, yeah, over here, I can't hear you.", "intent", None),
    ],
)
def test_single_name_signed_off(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# Lead-ins to the person the booking is for, on intent and phone lines: "on behalf of", "the
# appointment is for", a title after the relation, a full name then "calling to ...".
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Hello, I'm phoning on behalf of Harriet Sommers, she needs a checkup.", "intent",
         "Harriet Sommers"),
        ("Calling on behalf of Mr. Desmond Achebe, to move his cleaning.", "intent",
         "Desmond Achebe"),
        ("613-555-0128, and the booking is for Ilse Brandt.", "phone", "Ilse Brandt"),
        ("I'd like to cancel for my father, Mr. Tadeusz Nowak.", "intent", "Tadeusz Nowak"),
        ("Hi there, Corinne Lafrance calling about my crown.", "intent", "Corinne Lafrance"),
        ("Morning, Dev Malhotra here to book a cleaning.", "intent", "Dev Malhotra"),
        ("Hi, I'm calling for Lakeshore Dental Centre, is this the right number?", "intent",
         None),
        ("Hi, calling for Northgate Family Dentistry about a referral.", "intent", None),
    ],
)
def test_booking_for_lead_ins(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# A fall or an accident and a tooth hurt in it is an emergency, even with "take a look";
# a filling or crown that fell out/off stays that service, a wobbly baby tooth alone does not
# need an accident.
@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("She slipped at the pool and her front tooth is chipped, could you have a look?",
         "emergency"),
        ("My boy crashed his scooter, one of his teeth moves now.", "emergency"),
        ("Took a bad spill on the sidewalk and my tooth is loose, I'd like it checked.",
         "emergency"),
        ("He got hit playing lacrosse, a tooth is bleeding.", "emergency"),
        ("My filling fell out, I'd like it checked.", "filling"),
        ("The cap fell off, can you take a look?", "crown"),
        ("I fell behind on my cleanings.", "cleaning"),
    ],
)
def test_accident_and_hurt_tooth(text: str, service: str) -> None:
    assert run(text, "service")["service"] == service


# A first name that is also a common word ("Will", "May", "Best"), after a lead-in that says a
# name follows; without such a lead-in it stays a word.
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Given name's Will, surname Ostrowski.", "name", "Will Ostrowski"),
        ("Her first name is May. Last name Okafor.", "name", "May Okafor"),
        ("Hello, my name is Will, I'd like to book a checkup.", "intent", "Will"),
        ("It's May.", "name", None),
        ("My name is, um, will you hold on a sec?", "name", None),
    ],
)
def test_word_name_after_name_lead_in(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# A season's greeting opening the call is not a name.
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Merry Christmas! I'd like to move my checkup.", "intent", None),
        ("Happy New Year, my number is 613-555-0142.", "phone", None),
        ("Happy Thanksgiving, can I book a cleaning?", "intent", None),
        ("Bonne année! C'est pour annuler.", "intent", None),
        ("Merry Christmas, this is Carol Winters, I need to cancel.", "intent", "Carol Winters"),
    ],
)
def test_greeting_is_not_a_name(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# A word repeated across a full stop is a name restated, not a stutter; a stutter does not eat
# into a possessive ("Karen, Karen's").
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm Bartholomew, but the kids call me Bart. Bart Kowalski.", "Bart Kowalski"),
        ("Everyone says Liz. Liz Okonjo.", "Liz Okonjo"),
        ("Mina, Mina's fine.", "Mina"),
        ("Uh, Ravi... Ravi Menon.", "Ravi Menon"),
    ],
)
def test_repeat_across_sentences(text: str, name: str) -> None:
    assert run(text, "name")["name"] == name


def test_stutter_still_removed() -> None:
    from bella_nlp.cleaning import clean

    assert clean("we need the the cleaning").text == "we need the cleaning"
    assert clean("Tuesday, Tuesday at 3").text == "Tuesday at 3"
    assert clean("Karen, Karen's fine").text == "Karen, Karen's fine"
    assert clean("Alex. Alex Nowak.").text == "Alex. Alex Nowak."


# A fluoride treatment is a hygiene visit; fluoride toothpaste or rinse at home is not.
@pytest.mark.parametrize(
    ("text", "expect", "service"),
    [
        ("The twins are due for fluoride.", "service", "cleaning"),
        ("Can I bring my daughter in for a fluoride varnish?", "intent", "cleaning"),
        ("I use a fluoride rinse but the tooth still aches.", "service", "emergency"),
    ],
)
def test_fluoride_is_cleaning(text: str, expect: str, service: str) -> None:
    assert run(text, expect)["service"] == service


# A request to note the name ("Put ...", "Write down ...") before a full name on phone and
# intent lines; a business named that way is not a person.
@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Write down Soraya Haidari, and it's 416-555-0126.", "phone", "Soraya Haidari"),
        ("Put Bao Nguyen, 604-555-0172.", "phone", "Bao Nguyen"),
        ("Use Lakeview Dental Clinic's number, 416-555-0118.", "phone", None),
        ("Hi, Parkdale Family Dentistry?", "intent", None),
    ],
)
def test_put_down_full_name(text: str, expect: str, name: str | None) -> None:
    assert run(text, expect)["name"] == name


# "X, and Y" joins two parts of one name, but not when Y is someone else ("and my son is Y").
@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("It's Oksana, and my husband is Taras.", "Oksana Taras"),
        ("Marguerite, and her brother is Paul.", "Marguerite Paul"),
    ],
)
def test_and_another_person_is_not_a_surname(text: str, bad: str) -> None:
    assert run(text, "name")["name"] != bad


def test_and_its_surname_still_joins() -> None:
    assert run("Ikechukwu, and it's Obi.", "name")["name"] == "Ikechukwu Obi"
