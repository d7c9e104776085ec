"""Intent and yes/no phenomena first met in tests/corpus/batches/intent-*.jsonl, checked here
in other words than the corpus lines that revealed them."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


def intent(text: str) -> str | None:
    return run(text, "intent")["intent"]


def confirm(text: str) -> str | None:
    return run(text, "confirm")["confirm"]


# Batch intent-01.


@pytest.mark.parametrize(
    "text",
    [
        # Not turning up, in any tense or person.
        "We won't be coming on Thursday.",
        "My husband isn't coming tomorrow.",
        "She's not gonna be able to come in on the 9th.",
        "I'm not making it Monday.",
        # A verb that undoes, with any way of naming the appointment.
        "Please free up Thursday's spot, we're away.",
        "You can give our slot to somebody who needs it.",
        "I want to withdraw my son's booking.",
        "Could you get rid of my Monday appointment?",
        "Can you annul the cleaning please.",
        # Not needing it any more, whoever's it is.
        "We no longer need Friday's checkup.",
        "I don't really need the appointment on the 4th.",
        "The 10 o'clock isn't going to work anymore.",
        # Keeping, attending.
        "I won't be keeping my appointment on the 12th.",
        "We aren't going to keep that booking.",
    ],
)
def test_cancel_families(text: str) -> None:
    assert intent(text) == "cancel"


@pytest.mark.parametrize(
    "text",
    [
        "I can't come in before 5, do you have anything later?",
        "I can't make it until after work, anything in the evening?",
    ],
)
def test_attendance_constraint_is_not_a_cancellation(text: str) -> None:
    assert intent(text) == "book"


@pytest.mark.parametrize(
    "text",
    [
        "Could you slide me over to next month?",
        "Can you shift us to the week after?",
        "I'd like to swap my Tuesday for a Wednesday.",
        "Could I exchange the appointment for one in the evening?",
        "Is it possible to bring forward my checkup?",
        "Can we push back my daughter's filling to the spring?",
        "I want to change the time of my son's visit.",
        "Thursday at 2 doesn't work anymore, what other times have you got?",
        "I'm booked for Monday, could we do Tuesday?",
        "Can I get a different date for my cleaning?",
    ],
)
def test_reschedule_families(text: str) -> None:
    assert intent(text) == "reschedule"


def test_negated_move_is_not_a_reschedule() -> None:
    assert intent("Please don't move my appointment, just cancel it.") == "cancel"


@pytest.mark.parametrize(
    "text",
    [
        "How do I get ahold of the office manager?",
        "Can I get in touch with somebody in accounts?",
        "I'd like a word with Dr. Leblanc.",
        "Can the hygienist ring me back?",
        "Have someone give us a call, please.",
        "Billing department, please.",
        "Agent. Agent. Zero.",
        "0",
        "I'm not dealing with a machine, sorry.",
        "Enough with the automated menu, I want a person.",
        "I'd like to talk to a person, not a computer.",
    ],
)
def test_human_families(text: str) -> None:
    assert intent(text) == "human"


@pytest.mark.parametrize(
    "text",
    [
        "What are your rates for a filling?",
        "Ballpark, what would a crown run me?",
        "How long should a whitening take?",
        "Is the clinic close to the LRT?",
        "Are you folks within walking distance of the university?",
        "Do you people deal with Canada Life?",
        "Does Green Shield work with you?",
        "Are y'all closed on Good Friday?",
        "What sort of dentistry do you do?",
        "Do you lot see children?",
    ],
)
def test_info_families(text: str) -> None:
    assert intent(text) == "info"


@pytest.mark.parametrize(
    "text",
    [
        "My mom needs to get seen this week, her denture is broken.",
        "Can you pencil us in for cleanings?",
        "Do you folks have anything open Friday?",
    ],
)
def test_book_families(text: str) -> None:
    assert intent(text) == "book"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("That should do.", "yes"),
        ("Ok, that'd do nicely.", "yes"),
        ("It'll do, thanks.", "yes"),
        ("Hmm, that won't really work, I'm driving then.", "no"),
        ("That doesn't suit, sorry.", "no"),
        ("Nah, that won't cut it.", "no"),
        ("No way, that's my kid's recital.", "no"),
        ("No can do, sorry.", "no"),
        ("I'll pass on that one.", "no"),
        ("An afternoon would work better for me.", "no"),
        ("Thursday is better, actually.", "no"),
        ("Yes, that's better.", "yes"),
    ],
)
def test_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-02.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # More verbs that undo, and names struck off a list.
        ("Could you scratch Friday's cleaning?", "cancel"),
        ("Please wipe my daughter's appointment.", "cancel"),
        ("Un-book us for the 3rd, please.", "cancel"),
        ("Can you cross my name off for Tuesday?", "cancel"),
        ("Take a pass on my appointment this week, please.", "cancel"),
        # A death or a move away, with something booked.
        ("My mother died last week and she had a booking with you on Monday.", "cancel"),
        ("We moved away in the summer, but I think my son is still scheduled for a cleaning.",
         "cancel"),
        # Putting off, rearranging, the passive of moving.
        ("Could I put off my checkup until January?", "reschedule"),
        ("Any way to put it off a week?", "reschedule"),
        ("I'd like to rearrange my husband's appointment.", "reschedule"),
        ("Can the 10:30 be moved to the afternoon?", "reschedule"),
        ("My son's cleaning, could it get pushed to next week?", "reschedule"),
        ("I'm booked for the 5th, could I come the 6th rather than the 5th?", "reschedule"),
        # A condition about cancelling is a question, not a cancellation.
        ("What happens if I cancel the day before?", "info"),
        ("Do you charge anything in case I need to cancel?", "info"),
        ("How much cancellation notice do you need?", "info"),
        # Asking to be put through, with any staff word.
        ("Could you pass this call over to billing?", "human"),
        ("Can you patch me through to the hygienist?", "human"),
        ("Could I have the front desk, please?", "human"),
        ("Find me somebody who knows about my claim.", "human"),
        ("Is there anyone I could speak to about a refund?", "human"),
        ("Hi, is Jean-Paul in today?", "human"),
        ("Hi, is Monday available?", "book"),
        ("Get me someone to look at this tooth today.", "book"),
        # Questions about the clinic with no other cue.
        ("Is it cheaper if I pay cash?", "info"),
        ("What's a whitening going to cost me out of pocket?", "info"),
        ("Should I bring my insurance card?", "info"),
        ("Do I have to fill out forms first?", "info"),
        ("Which floor are you on?", "info"),
        ("How long is the waitlist?", "info"),
        ("Are you still on Jasper Avenue?", "info"),
        ("Who's the owner of the practice?", "info"),
        ("Why do I have to pay the difference?", "info"),
        ("Sorry, who am I talking to?", None),
        ("Hello? Are you still there?", None),
        ("Anything next Tuesday for a checkup?", "book"),
        ("You got any room Friday?", "book"),
    ],
)
def test_batch02_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We can't, we're away.", "no"),
        ("Sorry, I'm busy that day.", "no"),
        ("Could we go a little earlier?", "no"),
        ("Something sooner maybe?", "no"),
        ("Not that day, no.", "no"),
        ("Hmm, I guess.", "yes"),
        ("I reckon, yeah.", "yes"),
        ("We'll take that one.", "yes"),
        ("Ok, I'll take the 9 o'clock.", "yes"),
        ("I can't wait, yes.", "yes"),
    ],
)
def test_batch02_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-03.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I need to pull out of Friday's checkup.", "cancel"),
        ("We'll be missing the appointment on the 9th, sorry.", "cancel"),
        ("Don't wait for us Thursday, the car's broken.", "cancel"),
        ("You don't have to save my slot, I'm sorted.", "cancel"),
        ("I don't want to miss my appointment, what's the address again?", "info"),
        ("Could I come Friday rather than tomorrow?", "reschedule"),
        ("Can I do 3 instead of 10?", "reschedule"),
        ("Could we do it the following Monday instead?", "reschedule"),
        ("We have to shuffle things around, can I bump us back?", "reschedule"),
        ("The appointment on Monday doesn't work, got anything Wednesday?", "reschedule"),
        ("Could you put Kim on, please?", "human"),
        ("Can you put me on the waitlist for a cleaning?", "book"),
        ("Does the hygienist have a minute to talk?", "human"),
        ("Is Dr. Olsen around for a quick word?", "human"),
        ("Can I request a call-back, please?", "human"),
        ("How late do you take patients on Fridays?", "info"),
        ("How far are you from downtown?", "info"),
        ("Are the dentists trained in sedation?", "info"),
        ("Is the dentist able to see me this afternoon?", "book"),
        ("Sorry, you're cutting out.", None),
        ("Hello? I can't hear you.", None),
        ("What office is this?", None),
        ("Do any of your staff speak Tagalog?", "info"),
    ],
)
def test_batch03_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yeah, you betcha.", "yes"),
        ("Maybe not that one.", "no"),
        ("Likely not, no.", "no"),
        ("Perhaps not, I'll call back.", "no"),
    ],
)
def test_batch03_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-04.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We'll give the cleaning a miss this time.", "cancel"),
        ("Can you take that appointment off the calendar?", "cancel"),
        ("Please remove my husband from Friday's list.", "cancel"),
        ("Can I take a raincheck on Tuesday and come the week after?", "reschedule"),
        ("My appointment's during my exam, can I get another one?", "reschedule"),
        ("Could I switch from the 9:30 to the 11?", "reschedule"),
        ("I'm booked Monday but something came up, what else do you have?", "reschedule"),
        ("You're open 8 to 5 on weekdays, right?", "info"),
        ("I'd like to talk to the guy who called me this morning.", "human"),
        ("Can you have Dr. Beaulieu phone me?", "human"),
        ("I've been trying to contact Anita in billing.", "human"),
        ("Can someone fix my tooth today?", "book"),
        ("How soon before the appointment should I arrive?", "info"),
        ("At what age do kids need their first cleaning?", "info"),
        ("Does Dr. Chan still take new patients?", "info"),
        ("Do you have any dentists who speak Farsi?", "info"),
        ("How soon can you see me?", "book"),
        ("Do you have a 10:30 tomorrow?", "book"),
        ("Got anything on Thursday?", "book"),
        ("Do you have Saturday hours?", "info"),
    ],
)
def test_batch04_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Not the morning, but the afternoon is fine.", "no"),
        ("Not at 9, 10 would be better.", "no"),
        ("Wednesday works, yes.", "yes"),
        ("Aye.", "yes"),
        ("Unh-unh.", "no"),
        ("Mm-mm, not that day.", "no"),
    ],
)
def test_batch04_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-05.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I've got a booking Friday and I can't do it, sorry.", "cancel"),
        ("We shall not be able to attend on the 3rd.", "cancel"),
        ("He shan't be coming in tomorrow.", "cancel"),
        ("I can't do it on Monday, could we try Wednesday?", "reschedule"),
        ("Could you switch tomorrow to Thursday?", "reschedule"),
        ("Can I move the 9th over to the 16th?", "reschedule"),
        ("I'm scheduled too early, can I come later?", "reschedule"),
        ("I made the booking for the 4th but I really wanted the 14th.", "reschedule"),
        ("I need to reorganise my husband's and my appointments.", "reschedule"),
        ("Could you get Dr. Wu on the line?", "human"),
        ("My insurance company asked me to speak with your billing person.", "human"),
        ("Hi, I'm asking for Marguerite, she does the booking.", "human"),
        ("Is there someone there who could explain my statement?", "human"),
        ("Will a crown be painful?", "info"),
        ("Is it normal to feel sore after a cleaning?", "info"),
        ("Do you guys repair chipped veneers?", "info"),
        ("Could I bring my husband in for a checkup?", "book"),
        ("Can I bring the kids in tomorrow?", "book"),
        ("Can I bring a book to read in the waiting room?", "info"),
        ("I'd like to ask for an appointment.", "book"),
    ],
)
def test_batch05_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-06.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My husband's checkup Monday, we'll have to let that go.", "cancel"),
        ("Is the Friday appointment changeable?", "reschedule"),
        ("I was meant to... I was supposed to be in at 10, can I come at 2?", "reschedule"),
        ("Can we juggle my kids' appointments around a bit?", "reschedule"),
        ("Do you have something sooner than what I'm booked for?", "reschedule"),
        ("Can I come in Tuesday for my cleaning?", "book"),
        ("I'd like to speak with the practice manager about a refund.", "human"),
        ("Can I chat with your supervisor?", "human"),
        ("Put Dr. Mills on the line, please.", "human"),
        ("Is the office manager in today?", "human"),
        ("Is the dentist in on Saturdays?", "info"),
        ("Who is in charge of the billing there?", "human"),
    ],
)
def test_batch06_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hmm, that's a little too early.", "no"),
        ("That's pretty late for me.", "no"),
        ("You've got nothing sooner?", "no"),
        ("Non, pas possible.", "no"),
        ("D'accord, oui.", "yes"),
        ("Sweet, thanks.", "yes"),
        ("Awesome.", "yes"),
        ("Not cool, no.", "no"),
    ],
)
def test_batch06_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-07.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Could you mark us down as not coming Friday?", "cancel"),
        ("We can't keep Monday's cleaning, sorry.", "cancel"),
        ("I'd like to re book my checkup.", "reschedule"),
        ("Could I switch over to a morning?", "reschedule"),
        ("That day clashes with my exam, do you have the 12th?", "reschedule"),
        ("I'll need to come two days earlier than scheduled.", "reschedule"),
        ("Would Thursday work instead?", "reschedule"),
        ("Doctor Petrov, please.", "human"),
        ("Hi, I'm returning Dr. Shaw's call.", "human"),
        ("Is Dr. Shaw there? I need to speak with him.", "human"),
        ("Is a cleaning covered if I'm on the federal plan?", "info"),
        ("Are whitening trays something you sell?", "info"),
        ("Is 2 too young for a first checkup?", "info"),
        ("Can I get a cleaning sometime next week?", "book"),
        ("Could you fit in a filling on Friday?", "book"),
        ("Is this Maple Dental?", None),
        ("Am I talking to Bella?", None),
    ],
)
def test_batch07_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We honestly can't, sorry.", "no"),
        ("That's impossible for me.", "no"),
        ("Wouldn't be possible, sorry.", "no"),
        ("Shouldn't be an issue.", "yes"),
        ("That won't be any trouble.", "yes"),
    ],
)
def test_batch07_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-08.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We'll skip it this month, thanks.", "cancel"),
        ("He won't need to be seen after all.", "cancel"),
        ("You can free up the Tuesday spot.", "cancel"),
        ("Can you push the thing on Monday to Wednesday?", "reschedule"),
        ("Hello, the receptionist, I need talk.", "human"),
        ("Would you page the hygienist for me?", "human"),
        ("This is the pharmacy calling to speak to Dr. Roy.", "human"),
        ("I'd like to go over my estimate with somebody.", "human"),
        ("Can I ask the hygienist some questions?", "human"),
        ("What time is my son's appointment?", "info"),
        ("When was my last cleaning?", "info"),
        ("I think I left my scarf there yesterday?", None),
        ("Excuse me?", None),
        ("Uh, sorry, what?", None),
        ("My son is 4, does he need x-rays?", "info"),
    ],
)
def test_batch08_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hmm, no, make that the 12th.", "no"),
        ("Fat chance.", "no"),
        ("Sounds great.", "yes"),
        ("It's a plan.", "yes"),
        ("Okay, provided it's not after 5.", "yes"),
        ("No, unless you have something earlier.", "no"),
    ],
)
def test_batch08_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


@pytest.mark.parametrize(
    "unit",
    ["x" * 40 + " ", "please ", "don't ", "a ", "is it? ", "my son's ", "can't be ", "not "],
)
def test_intent_and_yes_no_stay_linear_on_4kb(unit: str) -> None:
    from bella_nlp.intent import extract_intent
    from bella_nlp.yesno import extract_confirm

    text = (unit * (4000 // len(unit) + 1))[:4000]
    started = time.process_time()
    extract_intent(text)
    extract_confirm(text)
    # CPU time, so preemption does not count: linear patterns take 2-15 ms here.
    assert time.process_time() - started < 0.1


# Batch intent-09.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Can Dr. Lin take a quick look at my crown?", "book"),
        ("Is tomorrow morning an option for a checkup?", "book"),
        ("I can't do Thursday, anything else?", "reschedule"),
        ("We're calling it quits on the whitening.", "cancel"),
        ("He won't be using his appointment on Monday.", "cancel"),
        ("I'll pass on tomorrow, thanks.", "cancel"),
        ("We need to back out of the 14th.", "cancel"),
        ("Could you switch it?", "reschedule"),
        ("We've got a 10:30 Friday, could we have a 2 instead?", "reschedule"),
        ("What's the penalty for cancelling late?", "info"),
        ("How many days' notice do you need to cancel?", "info"),
        ("Do you need to book ahead for x-rays?", "info"),
        ("How do I register as a patient?", "info"),
        ("Hold on a sec, sorry.", None),
    ],
)
def test_batch09_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nope, that wouldn't do.", "no"),
        ("That doesn't do it for me.", "no"),
        ("That might work.", "yes"),
        ("We'll make it work, yes.", "yes"),
        ("I can't do that, no.", "no"),
        ("We couldn't make it then.", "no"),
    ],
)
def test_batch09_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-10.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("You can forget my booking on the 2nd.", "cancel"),
        ("Nevermind my son's checkup, he's fine now.", "cancel"),
        ("Can you nix tomorrow's?", "cancel"),
        ("Drop the 14th for me, please.", "cancel"),
        ("I'm free Tuesday afternoon, can I come in?", "book"),
        ("Could we bring it up a week?", "reschedule"),
        ("I need to rearrange, something came up.", "reschedule"),
        ("Transfer me.", "human"),
        ("Transfer, please.", "human"),
        ("Can we pay by credit card?", "info"),
        ("How do I pay my balance?", "info"),
        ("What have you got on Thursday?", "book"),
        ("My son is due for his cleaning.", "book"),
    ],
)
def test_batch10_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes, that's what I said, the 12th.", "yes"),
        ("No, I said the afternoon.", "no"),
        ("I'm going to decline, thanks.", "no"),
        ("No, don't.", "no"),
        ("Don't.", "no"),
    ],
)
def test_batch10_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-11.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Should I come in 15 minutes before to do the paperwork?", "info"),
        ("Can I fill in the forms online before I come in?", "info"),
        ("Do I bring my forms to the appointment?", "info"),
    ],
)
def test_batch11_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-12.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Could I get transferred to the front desk?", "human"),
        ("I've been on hold for ages, is anyone real there?", "human"),
        ("Is the owner around?", "human"),
        ("Get Doctor Baptiste on the line, please.", "human"),
        ("Get Dr. Baptiste to look at my crown.", "book"),
        ("Customer care, please.", "human"),
        ("Anyone?", None),
        ("She can't do her cleaning on Friday.", "cancel"),
        ("Take the 12th off the books for me.", "cancel"),
        ("We need to switch dates.", "reschedule"),
        ("Move us, please.", "reschedule"),
        ("Is there a sooner appointment? Mine's on the 30th.", "reschedule"),
        ("Any time for my son this week?", "book"),
    ],
)
def test_batch12_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Not a problem.", "yes"),
        ("No problem, book it.", "yes"),
        ("No problem, but can we do 3 instead?", "no"),
        ("It'd work.", "yes"),
        ("Negatory, sorry.", "no"),
        ("No worries.", None),
    ],
)
def test_batch12_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-13.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I have a cleaning Friday but I need to cancel, my shift got changed.", "cancel"),
        ("We have to cancel, our trip got moved up.", "cancel"),
        ("Could my 9:15 be pushed back an hour?", "reschedule"),
        ("Can we get switched to Thursday?", "reschedule"),
    ],
)
def test_batch13_passive_move_is_said_of_the_appointment(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-14.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We're pulling the plug on Friday's cleaning.", "cancel"),
        ("I changed my mind about the veneers consult.", "cancel"),
        ("My husband is no longer interested in the whitening appointment.", "cancel"),
        ("We're not going through with the extraction.", "cancel"),
        ("Could you release the 3rd for me?", "cancel"),
        ("Please take it off.", "cancel"),
        ("Could we put it forward a few days?", "reschedule"),
        ("Any flexibility on my Tuesday booking?", "reschedule"),
        ("I'd like to tweak my appointment time.", "reschedule"),
        ("Can I update my booking to the afternoon?", "reschedule"),
        ("I'd like to lodge a complaint.", "human"),
        ("I'm looking for Dr. Shapiro.", "human"),
        ("I'm looking for a dentist near Kanata.", "book"),
        ("I forgot my appointment time, when is it?", "info"),
        ("Could I snag the first opening next week?", "book"),
        ("We'll take anything Saturday.", "book"),
        ("Can I reserve two cleanings?", "book"),
    ],
)
def test_batch14_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I believe so.", "yes"),
        ("I'd say no.", "no"),
        ("Let's not, thanks.", "no"),
    ],
)
def test_batch14_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-15.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I must annull the appointment for Friday.", "cancel"),
        ("Could we make it a couple hours earlier?", "reschedule"),
        ("We can't do Monday, is Wednesday free?", "reschedule"),
        ("Can I ask the hygienist if I need a deep cleaning?", "human"),
        ("I'd like to talk to the dentist about if my filling is cracked.", "human"),
        ("I'd like to talk to the dentist about veneers.", "book"),
        ("Could I talk to Amanda, please?", "human"),
        ("Can I talk to you about booking a cleaning?", "book"),
        ("We had a checkup booked but we have to scrap it.", "cancel"),
        ("I'll drop it off at the front desk.", None),
        ("My son has a fever, should he still come in?", "info"),
    ],
)
def test_batch15_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-16.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is Mohammed around today? He did my x-rays.", "human"),
        ("Could I get the receptionist? It's about my account.", "human"),
        ("I'm new in town and looking for a good dentist.", "book"),
        ("We had a cleaning booked, but we changed our minds.", "cancel"),
    ],
)
def test_batch16_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_a_service_name_is_not_a_person() -> None:
    assert intent("Is Invisalign available here?") != "human"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm not really sure.", None),
        ("Not totally certain, sorry.", None),
        ("Sure, I'm sure.", "yes"),
    ],
)
def test_batch16_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-17.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My wife no can come Thursday.", "cancel"),
        ("Can we push it till next month?", "reschedule"),
        ("Wednesday at 2 for my son, is that available?", "book"),
        ("What's the soonest you could take a look at my crown?", "book"),
        ("Who can I speak to about a billing error?", "human"),
        ("I need someone to go over my estimate with me.", "human"),
        ("Could the dentist adjust my night guard?", "book"),
        ("I have a checkup on the 3rd, but I'll be away on vacation.", "cancel"),
        ("I have a checkup on the 3rd, but we'll be away, can we do the 10th?", "reschedule"),
        ("I'll be out of town next week, are you open the week after?", "info"),
    ],
)
def test_batch17_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_go_on_then_is_a_yes() -> None:
    assert confirm("Oh, go on, then.") == "yes"


# Batch intent-18.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Are there parking spots for patients?", "info"),
        ("Any spots left this week?", "book"),
        ("Our Thursday booking is off, sorry.", "cancel"),
        ("The cleaning on the 9th is cancelled, we're away.", "cancel"),
        ("Can you take Noah off the list for Monday?", "cancel"),
        ("Could I speak to the booking coordinator?", "human"),
        ("Is the receptionist Monique in today?", "human"),
        ("I was hoping to find out whether you bill Manulife.", "info"),
    ],
)
def test_batch18_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Okey doke, thanks.", "yes"),
        ("That isn't my number.", "no"),
        ("It's not correct, no.", "no"),
        ("That's not right.", "no"),
    ],
)
def test_batch18_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-19.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Can I get the main office, please?", "human"),
        ("Could Dr. Osei text me later?", "human"),
        ("Sorry, I'm parking, one sec.", None),
        ("Is parking free?", "info"),
        ("My son won't be around for his checkup Friday.", "cancel"),
        ("I'm booked for tomorrow, but I've caught the flu.", "cancel"),
        ("I'm booked for tomorrow, but I'm sick, can we do next week?", "reschedule"),
        ("I have a cleaning tomorrow but I'm sick, should I still come?", "info"),
    ],
)
def test_batch19_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sure, though I might need to leave early.", "yes"),
        ("Yes, even if it's a bit early.", "yes"),
        ("Please.", "yes"),
        ("By all means, yes.", "yes"),
        ("Sign me up.", "yes"),
        ("We're in.", "yes"),
        ("Ouais.", "yes"),
        ("Dead on.", "yes"),
        ("We'd like that.", "yes"),
        ("Don't bother.", "no"),
        ("Not then, but another time would be fine.", "no"),
    ],
)
def test_batch19_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-20.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'd like more information about whitening.", "info"),
        ("Can I give you my information for an appointment?", "book"),
        ("Tomorrow's off, sorry, family stuff.", "cancel"),
        ("The 14th is a no-go for us.", "cancel"),
        ("I've got a cleaning Monday, and I just can't.", "cancel"),
        ("Could you repeat that?", None),
        ("Can I change my regular time to Thursdays?", "reschedule"),
        ("Who's the right person to ask about my claim?", "human"),
        ("Can anyone assist me with a billing question?", "human"),
        ("Can you combine my cleaning and my son's into one visit?", "reschedule"),
        ("Do I have any appointments this month?", "info"),
    ],
)
def test_batch20_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-21.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Can you do fillings in a single appointment?", "info"),
        ("Do you offer same-day crowns?", "info"),
        ("Could you get both kids in on the same day?", "book"),
        ("We can't do Tuesdays any more, could it be Wednesdays?", "reschedule"),
    ],
)
def test_batch21_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nearly, but it ends in 19.", "no"),
        ("Almost, it's Ann with an E.", "no"),
        ("There's an extra digit in there.", "no"),
        ("I think there's a typo.", "no"),
        ("You've got the numbers mixed up.", "no"),
        ("That's my old address, I moved.", "no"),
        ("It's 7, not 17.", "no"),
        ("That's not how you spell it.", "no"),
        ("Yes, that's my home address.", "yes"),
    ],
)
def test_batch21_read_back_corrections(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-22.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I forgot what time my son's checkup is, could you check?", "info"),
        ("I can't remember which day I'm booked, can you look it up?", "info"),
        ("I'm booked Thursday, but is there a chance we could do Friday?", "reschedule"),
        ("I was wondering if the dentist could see my daughter today.", "book"),
        ("I don't think we'll be able to make it Monday.", "cancel"),
        ("I don't think she can come in on the 5th.", "cancel"),
    ],
)
def test_batch22_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# The most common wordings of each intent and answer: a broad new cue must never break these
# (a "you" before "cancel" once read "can you cancel my appointment?" as a past event).
_CORE_INTENTS = [
    ('Can you cancel my appointment?', 'cancel'),
    ('I need to cancel my appointment.', 'cancel'),
    ('Could you cancel my cleaning on Friday?', 'cancel'),
    ("I'd like to cancel, please.", 'cancel'),
    ('Please cancel my appointment for tomorrow.', 'cancel'),
    ("Can I cancel my son's checkup?", 'cancel'),
    ('I want to cancel.', 'cancel'),
    ('Cancel my appointment.', 'cancel'),
    ("I have to cancel tomorrow's appointment.", 'cancel'),
    ('Can you please cancel it?', 'cancel'),
    ("I won't be able to make my appointment.", 'cancel'),
    ("I can't make it tomorrow.", 'cancel'),
    ('Can we cancel for Thursday?', 'cancel'),
    ('Can I reschedule my appointment?', 'reschedule'),
    ('I need to reschedule.', 'reschedule'),
    ('Could you move my appointment to next week?', 'reschedule'),
    ('Can I change my appointment time?', 'reschedule'),
    ("I'd like to change my appointment to Friday.", 'reschedule'),
    ('Can we push it back a week?', 'reschedule'),
    ('Is it possible to move my cleaning?', 'reschedule'),
    ('Can I come in Wednesday instead?', 'reschedule'),
    ('I need to change the date of my appointment.', 'reschedule'),
    ('Can you reschedule me for next Monday?', 'reschedule'),
    ("I can't make Tuesday, can we do Thursday?", 'reschedule'),
    ("I'd like to book an appointment.", 'book'),
    ('Can I book a cleaning?', 'book'),
    ('Do you have any openings this week?', 'book'),
    ('I need to see a dentist.', 'book'),
    ('Can I make an appointment for my son?', 'book'),
    ("I'd like to schedule a checkup.", 'book'),
    ('Can I get in tomorrow?', 'book'),
    ('My tooth hurts, can you see me today?', 'book'),
    ('I need a cleaning.', 'book'),
    ('Can you book me in for Friday?', 'book'),
    ("I'm a new patient and I'd like to come in.", 'book'),
    ('Do you have anything Saturday morning?', 'book'),
    ('Could I get an appointment next week?', 'book'),
    ('Can I speak to someone?', 'human'),
    ('Can I talk to a real person?', 'human'),
    ('I want to speak to the receptionist.', 'human'),
    ('Transfer me to a human please.', 'human'),
    ('Is Dr. Smith available?', 'human'),
    ('Can I speak to the office manager?', 'human'),
    ('Representative.', 'human'),
    ('Operator.', 'human'),
    ('Let me talk to a person.', 'human'),
    ('Can someone call me back?', 'human'),
    ('What are your hours?', 'info'),
    ('Where are you located?', 'info'),
    ('Do you take Sun Life?', 'info'),
    ('How much is a cleaning?', 'info'),
    ('Is there parking?', 'info'),
    ('Are you open on Saturday?', 'info'),
    ('Do you accept new patients?', 'info'),
    ('Do you direct bill?', 'info'),
    ("What's your address?", 'info'),
    ('How much does a filling cost?', 'info'),
    ('Are you open on Christmas Eve?', 'info'),
    ('Do you do Invisalign?', 'info'),
    ('What time do you close today?', 'info'),
    ('Is the office wheelchair accessible?', 'info'),
    ('Do you offer payment plans?', 'info'),
    ('Hello?', None),
    ('Um.', None),
    ('Can you hear me?', None),
    ('Sorry, wrong number.', None),
    ('Thanks, bye.', None),
    ('Who is this?', None),
    ('Okay.', None),
    ('Hold on one sec.', None),
]
_CORE_CONFIRMS = [
    ('Yes.', 'yes'),
    ('Yeah, that works.', 'yes'),
    ('Sure.', 'yes'),
    ('Sounds good.', 'yes'),
    ('Perfect.', 'yes'),
    ("That's correct.", 'yes'),
    ('Yep.', 'yes'),
    ('Okay.', 'yes'),
    ('Uh-huh.', 'yes'),
    ('Please do.', 'yes'),
    ("That's right.", 'yes'),
    ('Yes please.', 'yes'),
    ('No.', 'no'),
    ('Nope.', 'no'),
    ("No, that's wrong.", 'no'),
    ('No, make it Thursday.', 'no'),
    ("That doesn't work.", 'no'),
    ('Not really.', 'no'),
    ('No thanks.', 'no'),
    ('Can we do Friday instead?', 'no'),
    ('What?', None),
    ('Can you repeat that?', None),
    ("I'm not sure.", None),
    ('Hold on.', None),
    ('Let me check.', None),
    ('What time was that?', None),
]


@pytest.mark.parametrize(("text", "value"), _CORE_INTENTS)
def test_core_intent_wordings(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(("text", "value"), _CORE_CONFIRMS)
def test_core_confirm_wordings(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-23.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is there anything sooner than Thursday? I'm booked then.", "reschedule"),
        ("Could you send my records to my new dentist?", "info"),
        ("We don't need a cleaning anymore, thanks.", "cancel"),
        ("Do I need to come in for the results?", "info"),
        ("Could I go from Dr. Shaw to Dr. Lim for the filling?", "reschedule"),
        ("I cancelled last month, so I'd like to book again.", "book"),
        ("You guys cancelled my cleaning, can I get a new time?", "reschedule"),
        ("Can you cancel my son's cleaning?", "cancel"),
    ],
)
def test_batch23_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_being_sure_is_not_an_answer() -> None:
    assert confirm("No, I'm quite sure it ends in 9.") == "no"
    assert confirm("Yes, I'm positive.") == "yes"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Could I bring my daughter for a checkup as well?", "book"),
        ("I've got a quick question.", "info"),
        ("Accounts, please.", "human"),
        ("This is the insurer calling for the billing department.", "human"),
        ("I left it at the front desk.", None),
    ],
)
def test_probe_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-24.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Do you have any appointments over March break?", "book"),
        ("Are there any openings before the long weekend?", "book"),
        ("Do you have evening appointments?", "info"),
        ("Can you pull a tooth without the needle?", "info"),
    ],
)
def test_batch24_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-25.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sorry, we're going to be a no-show tomorrow.", "cancel"),
        ("What's your no-show fee?", "info"),
        ("I have to pull out, sorry.", "cancel"),
        ("Could you undo the cleaning I booked for Friday?", "cancel"),
        ("The 12th isn't happening, I'm afraid.", "cancel"),
        ("Same time, just on Thursday instead, if that's possible?", "reschedule"),
        ("Could we flip the kids' appointments?", "reschedule"),
        ("I'm scheduled on the 30th, is there anything earlier?", "reschedule"),
        ("Can I book online?", "info"),
        ("Do you have room for one more this afternoon?", "book"),
        ("Could I change dentists for my upcoming checkup?", "reschedule"),
    ],
)
def test_batch25_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_a_bare_cant_after_a_pause_is_a_no() -> None:
    assert confirm("Oh. Can't, sorry.") == "no"
    assert confirm("Hmm, cannot.") == "no"


# Batch intent-26.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Any chance of getting in Friday for a checkup?", "book"),
        ("My night guard snapped, is that something you can repair?", "info"),
        ("I'd like my son's cleaning moved to the morning.", "reschedule"),
        ("My gum is swollen, should I come in?", "book"),
        ("My appointment's tomorrow but I'm sick, should I still come?", "info"),
        ("Please cancel, we'll book again when we're back in town.", "cancel"),
        ("Can you cancel my Friday and book me for Monday instead?", "reschedule"),
        ("Is my cleaning on Tuesday still booked?", "info"),
        ("I think I have an appointment next week, can you check the time?", "info"),
    ],
)
def test_batch26_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_not_needing_a_move_is_neither_a_move_nor_a_cancellation() -> None:
    assert intent("I don't need my cleaning moved, just checking.") not in ("reschedule", "cancel")


# Batch intent-28.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We'll sit Thursday out, thanks.", "cancel"),
        ("Rain check on Monday, I'll call you back.", "cancel"),
        ("Can we kick it back a month?", "reschedule"),
        ("Any give on my Friday booking?", "reschedule"),
        ("Friday's a problem now, anything closer to the weekend?", "reschedule"),
        ("I'd like to cancel, we found a clinic closer to home.", "cancel"),
        ("Can I speak to one of your hygienists?", "human"),
        ("Could somebody help me book? The app keeps crashing.", "human"),
        ("Who's the person in charge there?", "human"),
        ("Who handles insurance claims at your office?", "human"),
    ],
)
def test_batch28_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I think I'll take a pass.", "no"),
        ("We'll be there, thanks.", "yes"),
        ("She won't be able to.", "no"),
        ("Sorry, we won't make it.", "no"),
    ],
)
def test_batch28_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-29.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hello, I'm calling from Rexall pharmacy about a prescription.", "human"),
        ("Hi, it's Manulife calling regarding a patient claim.", "human"),
        ("I'm calling from work, can I book a cleaning?", "book"),
        ("Who would I speak to about volunteering?", "human"),
        ("Just checking you received my referral from Dr. Wong.", "info"),
        ("Did you get the forms I emailed?", "info"),
    ],
)
def test_batch29_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("That info's out of date.", "no"),
        ("Yes, that's the one.", "yes"),
        ("That's not the one.", "no"),
    ],
)
def test_batch29_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-31.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Thursday at 10 doesn't suit any more.", "cancel"),
        ("That slot no longer suits, sorry.", "cancel"),
        ("Please strike out my son's checkup.", "cancel"),
        ("We'll forgo the whitening this year.", "cancel"),
        ("I can't make Monday work, could you find me another spot?", "reschedule"),
        ("Can I come earlier than we agreed?", "reschedule"),
        ("Could you put the practice manager on, please?", "human"),
        ("I'd like a warm body on the phone, please.", "human"),
    ],
)
def test_batch31_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("That's doable.", "yes"),
        ("Not doable this week.", "no"),
        ("We can manage that.", "yes"),
        ("We couldn't swing that, sorry.", "no"),
        ("Deal.", "yes"),
        ("No deal, sorry.", "no"),
        ("It's a go.", "yes"),
        ("That's a no-go for me.", "no"),
        ("Doubtful.", "no"),
        ("No can do that week.", "no"),
        ("Yes, let's do that.", "yes"),
    ],
)
def test_batch31_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-32.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is there any space Friday morning for my wife?", "book"),
        ("Can I bring my daughter in Thursday for a checkup?", "book"),
        ("Could I schedule us both for cleanings?", "book"),
        ("Take me off the schedule for Friday.", "cancel"),
        ("Can I slide Tuesday to Wednesday?", "reschedule"),
        ("We'd like to switch over to your clinic.", "book"),
        ("Is Dr. Chen in on Mondays?", "info"),
        ("Is Dr. Chen in?", "human"),
    ],
)
def test_batch32_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-33.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My dad has a checkup Monday but he's decided not to come.", "cancel"),
        ("We'll pass on both, thanks.", "cancel"),
        ("I booked the wrong day, can you fix that?", "reschedule"),
        ("I was on with Carla a minute ago, could you get her back?", "human"),
        ("Could you have somebody at the front desk call me?", "human"),
        ("Is there a charge if I bring my son in too?", "info"),
    ],
)
def test_batch33_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We're happy with that.", "yes"),
        ("Not thrilled, no.", "no"),
        ("That's never going to happen.", "no"),
        ("Hard to say, I'll let you know.", None),
    ],
)
def test_batch33_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-35.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We'll have to scrub tomorrow, sorry.", "cancel"),
        ("No need to keep the 9th for me.", "cancel"),
        ("Let's give the checkup a pass this time.", "cancel"),
        ("I'd like to hold off on the crown, could we look at the fall?", "reschedule"),
        ("Can we nudge it up a bit?", "reschedule"),
        ("Could I trade in my Monday slot for a Wednesday?", "reschedule"),
        ("Have Dr. Leung give me a buzz, please.", "human"),
        ("Hang tight, I'm grabbing a pen.", None),
        ("I'm looking for my wallet, one sec.", None),
        ("We're looking to bring the whole family over to your clinic.", "book"),
        ("I'm looking for a family dentist.", "book"),
    ],
)
def test_batch35_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("That's just the ticket, thanks.", "yes"),
        ("We'd sooner not.", "no"),
        ("Great, let's make it happen.", "yes"),
        ("No trouble at all.", "yes"),
    ],
)
def test_batch35_confirm_families(text: str, value: str | None) -> None:
    assert confirm(text) == value


# Batch intent-36.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is Monday at 10 free for a checkup?", "book"),
        ("I could use a checkup, it's been a while.", "book"),
        ("My checkup's Tuesday, any chance of Wednesday instead?", "reschedule"),
        ("Can you check what time my daughter's cleaning is?", "info"),
        ("Could you do the cleaning and the filling at the same appointment?", "info"),
        ("My appointment on the 4th needs to change, I'm travelling.", "reschedule"),
    ],
)
def test_batch36_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-37.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Just calling to say we can't attend on Monday.", "cancel"),
        ("Say I cancel tomorrow, is there a fee?", "info"),
        ("Can I cancel by email, or do I have to phone?", "info"),
        ("Could I move it online?", "info"),
        ("Could I do Friday instead of my regular Wednesday?", "reschedule"),
        ("Hi, I'm phoning to confirm my cleaning on the 5th.", "info"),
    ],
)
def test_batch37_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_not_so_sure_is_neither() -> None:
    assert confirm("Hmm, I'm not too sure.") is None


# Batch intent-39.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My son is no longer coming on Friday.", "cancel"),
        ("Could you push us a couple of weeks?", "reschedule"),
        ("Can I get a later appointment day?", "reschedule"),
        ("Could I speak to the nurse?", "human"),
        ("Keep my cleaning but change the hygienist, please.", "reschedule"),
        ("Oops, I'm trying to reach a different clinic.", None),
    ],
)
def test_batch39_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-40.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm booked Monday but I'd rather come Thursday.", "reschedule"),
        ("I'd prefer a morning appointment, what do you have?", "book"),
    ],
)
def test_batch40_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


# Batch intent-41.


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sorry, it's a no for tomorrow.", "cancel"),
        ("Could you mark me off for Monday?", "cancel"),
        ("Get the booking coordinator on the phone, please.", "human"),
        ("Did you cancel my cleaning? I got a weird text.", "info"),
        ("Have you cancelled my son's checkup?", "info"),
        ("Can you cancel my son's checkup?", "cancel"),
    ],
)
def test_batch41_intent_families(text: str, value: str | None) -> None:
    assert intent(text) == value


def test_no_complaints_is_a_yes() -> None:
    assert confirm("No objections here.") == "yes"
