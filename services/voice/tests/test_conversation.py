"""The conversation state machine alone, against an in-memory backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bella_voice.conversation import (
    Appointment,
    CallState,
    Clinic,
    Conversation,
    DependencyDown,
    Heard,
    Reply,
    Slot,
    SlotTaken,
)
from bella_voice.records import Outcome
from voice_fakes import FakeNlp

NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # Monday 09:00 in Toronto
CLINIC = Clinic(id="toronto", name="Bella Dental Toronto", time_zone="America/Toronto",
                phone_number="+16475550100", front_desk_number="+16475550111",
                address="220 King Street West", parking="Green P on York Street",
                insurance="We bill most insurers directly.",
                services={"cleaning": "Cleaning", "checkup": "Check-up"},
                hours=[(0, "08:00", "17:00"), (1, "08:00", "17:00"), (5, "09:00", "13:00")])


class FakeBackend:
    def __init__(self) -> None:
        self.nlp = FakeNlp()
        self.booking_down = False
        self.booked: list[tuple[str, str, str, datetime]] = []
        self.taken: set[datetime] = set()
        self.appointments: dict[str, list[Appointment]] = {}
        self.cancelled: list[str] = []
        self.moved: list[tuple[str, datetime]] = []
        self.by_key: dict[str, str] = {}  # booking replays a known idempotency key

    async def understand(self, text, expect, now, clinic):
        return await self.nlp(text, expect, now, clinic)

    def _check(self) -> None:
        if self.booking_down:
            raise DependencyDown("booking")

    async def find_slots(self, clinic, service, date, time, part_of_day, now):
        self._check()
        day = datetime.fromisoformat(date).date() if date else (now + timedelta(days=1)).date()
        hour = int(time[:2]) if time else (14 if part_of_day == "afternoon" else 9)
        # Toronto is UTC-5 in December.
        first = datetime(day.year, day.month, day.day, hour + 5, 0, tzinfo=UTC)
        slots = [Slot(first + timedelta(hours=i), first + timedelta(hours=i + 1), "chair-3",
                      service) for i in range(4) if first + timedelta(hours=i) not in self.taken]
        return slots[:2], ""

    async def book(self, clinic, *, key, name, phone, slot, call_sid, now):
        self._check()
        if key in self.by_key:
            return self.by_key[key]
        if slot.start in self.taken:
            later = slot.start + timedelta(hours=2)
            raise SlotTaken([Slot(later, later + timedelta(hours=1), "chair-3", slot.service)])
        self.taken.add(slot.start)
        self.booked.append((slot.service, name, phone, slot.start))
        self.by_key[key] = f"appt-{len(self.booked)}"
        return self.by_key[key]

    async def find_appointments(self, clinic, phone, now):
        self._check()
        return self.appointments.get(phone, [])

    async def cancel(self, clinic, appointment_id):
        self._check()
        self.cancelled.append(appointment_id)

    async def reschedule(self, clinic, appointment_id, slot, key, now):
        self._check()
        self.moved.append((appointment_id, slot.start))


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


class Call:
    def __init__(self, backend: FakeBackend, caller: str = "+14165550199") -> None:
        self.convo = Conversation(backend, sms_enabled=True)
        self.state = CallState(call_sid="CA1", clinic_id="toronto", caller=caller)
        self.greeting = self.convo.greet(self.state, CLINIC)

    async def say(self, text: str = "", digits: str = "") -> Reply:
        self.state.turn += 1
        return await self.convo.turn(self.state, CLINIC, Heard(text=text, digits=digits,
                                                               confidence=0.9), NOW)


async def test_step_by_step_booking_offers_caller_id_and_reads_back(backend) -> None:
    call = Call(backend)
    assert "How can I help" in call.greeting.say
    r = await call.say("I'd like to book an appointment")
    assert "come in for" in r.say
    r = await call.say("a cleaning please")
    assert "first and last name" in r.say
    r = await call.say("Jane Doe")
    assert "number ending 0 1 9 9" in r.say
    r = await call.say("yes")
    assert "What day and time" in r.say
    r = await call.say("Tuesday at 10 am")
    assert "Tuesday, December 8 at 10 AM or 11 AM" in r.say
    r = await call.say("the second one")
    assert "cleaning on Tuesday, December 8 at 11 AM for Jane Doe" in r.say
    r = await call.say("yes")
    assert "all set" in r.say and r.outcome == Outcome.BOOKED and r.sms is not None
    assert backend.booked == [("cleaning", "Jane Doe", "+14165550199",
                               datetime(2026, 12, 8, 16, 0, tzinfo=UTC))]
    r = await call.say("bye")
    assert r.hangup


async def test_confirming_again_after_a_lost_answer_books_once(backend) -> None:
    # The "yes" turn booked, but its answer and state were lost (a deadline while the
    # database restarted): the caller hears the read-back again on a later turn and says
    # yes again. The same booking must come back, not a second appointment.
    call = Call(backend)
    await call.say("I'd like to book a cleaning")
    await call.say("Jane Doe")
    await call.say("yes")
    await call.say("Tuesday at 10 am")
    r = await call.say("the first one")
    assert "Shall I book it" in r.say
    before = CallState.from_json(call.state.to_json())
    first = await call.say("yes")
    call.state = before
    call.state.turn += 3  # later turns of the same call
    again = await call.say("yes")
    assert first.outcome == again.outcome == Outcome.BOOKED
    assert again.appointment_id == first.appointment_id
    assert len(backend.booked) == 1


async def test_over_answer_and_correction(backend) -> None:
    call = Call(backend)
    r = await call.say("Hi this is Jane Doe, I'd like to book a cleaning tomorrow at 10 am")
    assert "number ending" in r.say
    r = await call.say("no")
    r = await call.say("416 555 0123")
    assert "Tuesday, December 8 at 10 AM" in r.say
    r = await call.say("yes")
    assert "Shall I book" in r.say
    r = await call.say("no, Thursday")  # a correction at the read-back
    assert "Thursday, December 10" in r.say
    r = await call.say("the first one")
    r = await call.say("yes")
    assert r.outcome == Outcome.BOOKED
    assert backend.booked[0][2] == "+14165550123"
    assert backend.booked[0][3].date().isoformat() == "2026-12-10"


async def test_neither_offer_and_the_other_one_at_the_read_back(backend) -> None:
    call = Call(backend)
    await call.say("my name is Jane Doe and I want to book a cleaning tomorrow at 10 am")
    r = await call.say("yes")
    assert "10 AM or 11 AM" in r.say
    r = await call.say("neither of those works")
    assert "What other day" in r.say
    r = await call.say("Thursday at 2 pm")
    r = await call.say("the first one")
    assert "Thursday, December 10 at 2 PM" in r.say
    r = await call.say("no, the other one")
    assert "Thursday, December 10 at 3 PM" in r.say and "Shall I book" in r.say


async def test_a_full_day_is_said_before_the_nearest_offer(backend) -> None:
    for hour in range(14, 18):  # Wednesday 9 AM to 12 PM in Toronto, all taken
        backend.taken.add(datetime(2026, 12, 9, hour, 0, tzinfo=UTC))
    original = backend.find_slots

    async def next_day_only(clinic, service, date, time, part_of_day, now):
        if date == "2026-12-09":
            return await original(clinic, service, "2026-12-10", time, part_of_day, now)
        return await original(clinic, service, date, time, part_of_day, now)

    backend.find_slots = next_day_only
    call = Call(backend)
    await call.say("my name is Jane Doe and I want to book a cleaning on Wednesday")
    r = await call.say("yes")
    assert "I don't have anything on Wednesday, December 9" in r.say
    assert "Thursday, December 10" in r.say


async def test_slot_taken_while_deciding_offers_alternatives(backend) -> None:
    call = Call(backend)
    await call.say("my name is Jane Doe and I want to book a cleaning tomorrow at 10 am")
    await call.say("yes")
    await call.say("the first one")
    backend.taken.add(datetime(2026, 12, 8, 15, 0, tzinfo=UTC))  # someone else took it
    r = await call.say("yes")
    assert "just taken" in r.say and "12 PM" in r.say
    r = await call.say("yes")
    assert "Shall I book" in r.say
    r = await call.say("yes")
    assert r.outcome == Outcome.BOOKED and len(backend.booked) == 1


async def test_misunderstood_turns_escalate_to_front_desk(backend) -> None:
    call = Call(backend)
    r = await call.say("purple monkey dishwasher")
    assert r.say.startswith("Sorry, I didn't catch that")
    r = await call.say("blorf zibble")
    assert "For example" in r.say
    r = await call.say("qwerty")
    assert "front desk" in r.say
    r = await call.say("yes")
    assert r.dial == "+16475550111" and r.outcome == Outcome.TRANSFERRED


async def test_silence_three_times_ends_the_call(backend) -> None:
    call = Call(backend)
    r = await call.say()
    assert "didn't hear anything" in r.say
    await call.say()
    r = await call.say()
    assert r.hangup


async def test_nlp_down_falls_back_to_keypad_then_callback(backend) -> None:
    backend.nlp.down = True
    call = Call(backend)
    r = await call.say("I want to book")
    assert "Press 1 to book" in r.say and r.keypad_only
    r = await call.say(digits="1")
    assert "name" in r.say
    r = await call.say("my name is Jane Doe")
    assert "Jane" in r.say and "Press 1 for yes" in r.say
    r = await call.say(digits="1")
    assert r.hangup and r.callback is not None and r.outcome == Outcome.CALLBACK
    assert (r.callback.name, r.callback.phone) == ("Jane Doe", "+14165550199")


async def test_booking_down_takes_details_for_a_callback(backend) -> None:
    backend.booking_down = True
    call = Call(backend)
    await call.say("this is Jane Doe, I'd like to book a cleaning")
    r = await call.say("yes")  # caller ID is fine
    assert r.outcome == 0 and "What day" in r.say
    r = await call.say("tomorrow morning")
    assert "booking system isn't responding" in r.say
    assert r.callback is not None and r.callback.reason == "book a cleaning"


async def test_cancel_and_reschedule(backend) -> None:
    start = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    backend.appointments["+14165550199"] = [Appointment("a1", "cleaning", start)]
    call = Call(backend)
    r = await call.say("I need to cancel my appointment")
    assert "cleaning on Wednesday, December 9 at 10 AM" in r.say
    r = await call.say("yes")
    assert "cancelled" in r.say and r.outcome == Outcome.CANCELLED
    assert backend.cancelled == ["a1"]

    call = Call(backend)
    r = await call.say("can I reschedule my appointment")
    r = await call.say("yes")
    assert "What day and time" in r.say
    r = await call.say("Tuesday afternoon")
    assert "2 PM" in r.say
    r = await call.say("the first one")
    assert "move your cleaning from Wednesday, December 9 at 10 AM to Tuesday" in r.say
    r = await call.say("yes")
    assert r.outcome == Outcome.RESCHEDULED and backend.moved[0][0] == "a1"


async def test_info_and_human(backend) -> None:
    call = Call(backend)
    r = await call.say("where can I park?")
    assert "Green P" in r.say and r.outcome == Outcome.INFO
    r = await call.say("what are your hours")
    assert "Monday to Tuesday from 8 AM to 5 PM, and Saturday from 9 AM to 1 PM" in r.say
    r = await call.say("can I talk to a person")
    assert r.dial == "+16475550111"
