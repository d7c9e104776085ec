"""The phone conversation as a state machine, free of Twilio, HTTP and gRPC.

Each turn takes the call's state and what the caller did (speech text,
keypad digits, or silence), asks the :class:`Backend` port what it needs
(what was understood, free slots, booking), and returns a :class:`Reply`:
what to say, what is expected next, and the side effects for the adapter to
carry out (transfer, hang up, text message, call-back request). The state is
mutated in place and persisted by the caller between turns.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import phonenumbers

from bella_voice import prompts
from bella_voice.records import Outcome

# --- What the adapters hand in -----------------------------------------------------------


@dataclass
class Heard:
    """What Twilio reported for one <Gather>: speech, keypad digits, or nothing."""

    text: str = ""
    digits: str = ""
    confidence: float = 0.0

    @property
    def silent(self) -> bool:
        return not self.text.strip() and not self.digits.strip()


@dataclass
class Understood:
    intent: str = ""  # book | cancel | reschedule | human | info | ""
    name: str = ""
    phone: str = ""
    date: str = ""  # YYYY-MM-DD local
    time: str = ""  # HH:MM local
    part_of_day: str = ""  # morning | afternoon | evening | ""
    service: str = ""
    confirm: str = ""  # yes | no | ""
    intent_confidence: float = 0.0
    confidence: float = 0.0  # mean over the fields understood

    @property
    def has_when(self) -> bool:
        return bool(self.date or self.time or self.part_of_day)

    def as_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in ("", 0.0)},
                          sort_keys=True)


@dataclass
class Clinic:
    id: str
    name: str
    time_zone: str
    phone_number: str = ""
    front_desk_number: str = ""
    address: str = ""
    parking: str = ""
    insurance: str = ""
    services: dict[str, str] = field(default_factory=dict)  # code -> spoken name
    hours: list[tuple[int, str, str]] = field(default_factory=list)  # weekday, open, close


@dataclass
class Slot:
    start: datetime
    end: datetime
    chair_id: str = ""
    service: str = ""


@dataclass
class Appointment:
    id: str
    service: str
    start: datetime
    chair_id: str = ""


class DependencyDown(Exception):
    """NLP or booking did not answer in time (or its breaker is open)."""


class SlotTaken(Exception):
    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__("slot taken")
        self.alternatives = alternatives


class Refused(Exception):
    """Booking refused the request by a clinic rule; the message is safe to say."""


class Backend(Protocol):
    async def understand(self, text: str, expect: str, now: datetime, clinic: Clinic
                         ) -> Understood: ...

    async def find_slots(self, clinic: Clinic, service: str, date: str, time: str,
                         part_of_day: str, now: datetime) -> tuple[list[Slot], str]: ...

    async def book(self, clinic: Clinic, *, key: str, name: str, phone: str, slot: Slot,
                   call_sid: str, now: datetime) -> str: ...

    async def find_appointments(self, clinic: Clinic, phone: str, now: datetime
                                ) -> list[Appointment]: ...

    async def cancel(self, clinic: Clinic, appointment_id: str) -> None: ...

    async def reschedule(self, clinic: Clinic, appointment_id: str, slot: Slot, key: str,
                         now: datetime) -> None: ...


# --- State and reply -----------------------------------------------------------------------


@dataclass
class CallState:
    call_sid: str
    clinic_id: str
    caller: str = ""  # caller ID, E.164 when valid
    turn: int = 0
    stage: str = "intent"
    flow: str = ""  # book | cancel | reschedule | callback
    service: str = ""
    name: str = ""
    phone: str = ""
    callerid_declined: bool = False
    date: str = ""
    time: str = ""
    part_of_day: str = ""
    asap: bool = False
    offers: list[dict[str, str]] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)
    appointments: list[dict[str, str]] = field(default_factory=list)
    appointment: dict[str, str] = field(default_factory=dict)
    misses: int = 0
    silences: int = 0
    resume_stage: str = ""
    keypad: bool = False
    wanted_booking: bool = False
    done: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> CallState:
        data = json.loads(raw)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class SmsRequest:
    to: str
    from_: str
    body: str


@dataclass
class CallbackRequest:
    name: str
    phone: str
    reason: str


@dataclass
class Reply:
    say: str
    expect: str = ""  # what the next <Gather> waits for; "" = no gather
    keypad_only: bool = False
    hangup: bool = False
    dial: str = ""
    outcome: int = 0
    appointment_id: str = ""
    sms: SmsRequest | None = None
    callback: CallbackRequest | None = None
    understood: Understood | None = None

    def with_outcome(self, outcome: Outcome) -> Reply:
        self.outcome = int(outcome)
        return self


# Which NLP expectation each stage asks for.
# A yes/no is only read when "confirm" is expected, while dates, times, phones and
# intents are read whatever was asked: stages that take both ask for "confirm".
EXPECT = {
    "intent": "intent", "menu": "intent",
    "service": "service",
    "name": "name", "cb_name": "name",
    "phone": "phone", "cb_phone": "phone", "appt_phone": "phone",
    "when": "datetime", "appt_pick": "datetime",
    "offer": "confirm", "anything_else": "confirm",
    "phone_callerid": "confirm", "cb_phone_callerid": "confirm", "confirm": "confirm",
    "appt_confirm": "confirm", "transfer_offer": "confirm",
}

_ASAP = re.compile(r"\b(soon|earliest|first available|next available|any ?time|whenever|"
                   r"don'?t mind|doesn'?t matter|any day)\b", re.I)
_SECOND = re.compile(r"\b(second|2nd|latter|later one|last one|other one|the later)\b", re.I)
_FIRST = re.compile(r"\b(first|1st|former|earlier one|the earlier|either|whichever|"
                    r"any of them|either one)\b", re.I)
_TOPICS = [
    ("parking", re.compile(r"\bpark", re.I)),
    ("insurance", re.compile(r"\b(insur|coverage|cover|direct bill|benefit|cdcp)", re.I)),
    ("address", re.compile(r"\b(address|where|located|location|directions|find you|get there)",
                           re.I)),
    ("hours", re.compile(r"\b(hours|open|close|closing|opening|when are you)", re.I)),
]
_NEITHER = re.compile(r"\b(neither|none of (those|them)|other times?|something else|"
                      r"doesn'?t work|don'?t work|can'?t make)\b", re.I)
_DONE = re.compile(r"\b(bye|goodbye|that'?s all|that'?s it|nothing else|all good|i'?m good|"
                   r"no thanks?|nope)\b", re.I)
_NAME_LEADS = re.compile(r"^(hi|hello|yes|yeah|ok|okay|sure|um+|uh+|my name is|my name's|"
                         r"name is|it'?s|it is|this is|i'?m|i am)[\s,]+", re.I)


def caller_e164(raw: str) -> str:
    """The caller ID in E.164, or "" when withheld or not a valid number."""
    try:
        parsed = phonenumbers.parse(raw, "CA")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _slot_dict(slot: Slot) -> dict[str, str]:
    return {"start": slot.start.isoformat(), "end": slot.end.isoformat(),
            "chair_id": slot.chair_id, "service": slot.service}


def _slot(d: dict[str, str]) -> Slot:
    return Slot(start=datetime.fromisoformat(d["start"]), end=datetime.fromisoformat(d["end"]),
                chair_id=d.get("chair_id", ""), service=d.get("service", ""))


def _booking_key(call_sid: str, action: str, what: str, slot: Slot) -> str:
    """The idempotency key of one booking change: the same in every turn that asks for it.

    A Book whose answer was lost (a deadline during a database restart) may still have
    committed; when the caller confirms the same time again, even in a later turn or after
    the turn's state was lost, booking replays that appointment instead of making a second.
    """
    return f"voice:{call_sid}:{action}:{what}:{slot.start.isoformat()}"


def _appt_dict(a: Appointment) -> dict[str, str]:
    return {"id": a.id, "service": a.service, "start": a.start.isoformat(),
            "chair_id": a.chair_id}


def _first_name(name: str) -> str:
    return name.split()[0] if name else ""


class Conversation:
    """One instance serves every call; all per-call data lives in CallState."""

    def __init__(self, backend: Backend, *, sms_enabled: bool = False) -> None:
        self.backend = backend
        self.sms_enabled = sms_enabled

    # --- entry points ----------------------------------------------------------------------

    def greet(self, state: CallState, clinic: Clinic) -> Reply:
        state.stage = "intent"
        return Reply(
            say=f"Hi, thanks for calling {clinic.name}. This is Bella. How can I help you today?",
            expect="intent",
        )

    async def turn(self, state: CallState, clinic: Clinic, heard: Heard, now: datetime) -> Reply:
        ctx = _Turn(self, state, clinic, heard, now)
        reply = await ctx.run()
        reply.understood = ctx.understood
        if reply.hangup or reply.dial:
            state.done = True
        return reply


class _Turn:
    """The work of one turn; short-lived, holds the pieces every handler needs."""

    def __init__(self, convo: Conversation, state: CallState, clinic: Clinic, heard: Heard,
                 now: datetime) -> None:
        self.convo = convo
        self.backend = convo.backend
        self.s = state
        self.clinic = clinic
        self.heard = heard
        self.now = now
        self.tz = clinic.time_zone
        self.understood: Understood | None = None

    # --- plumbing ------------------------------------------------------------------------

    def ask(self, say: str, stage: str) -> Reply:
        self.s.stage = stage
        return Reply(say=say, expect=EXPECT.get(stage, "intent"),
                     keypad_only=stage == "menu")

    def question(self, stage: str) -> str:
        """The question that stage asks, for re-prompts."""
        s = self.s
        if stage == "intent":
            return "How can I help you today?"
        if stage == "anything_else":
            return "Is there anything else I can help with?"
        if stage == "service":
            return "What would you like to come in for?"
        if stage in ("name", "cb_name"):
            return "Can I get your first and last name?"
        if stage in ("phone_callerid", "cb_phone_callerid"):
            return (f"Is the number ending {prompts.last_four(s.caller)} "
                    "the best one to reach you?")
        if stage in ("phone", "cb_phone"):
            return "What's the best phone number to reach you?"
        if stage == "appt_phone":
            return "What phone number is the appointment under?"
        if stage == "when":
            return "What day and time works best for you?"
        if stage == "offer":
            return prompts.offer_text([_slot(o).start for o in s.offers], self.tz)
        if stage == "confirm":
            return self.readback()
        if stage == "appt_pick":
            return self.list_appointments_text()
        if stage == "appt_confirm":
            verb = "cancel" if s.flow == "cancel" else "move"
            return f"{self.appt_text(s.appointment)}. Is that the one you'd like to {verb}?"
        if stage == "transfer_offer":
            return "Would you like me to put you through to the front desk?"
        if stage == "menu":
            return prompts.KEYPAD_MENU
        return "How can I help you today?"

    def reprompt(self, *, silence: bool) -> Reply:
        stage = self.s.stage
        count = self.s.silences if silence else self.s.misses
        lead = "Sorry, I didn't hear anything." if silence else "Sorry, I didn't catch that."
        if count >= 3:
            if silence:
                return Reply(say=f"I'll let you go for now. Please call {self.clinic.name} "
                             "back any time. Goodbye.", hangup=True,
                             outcome=int(Outcome.ABANDONED))
            self.s.resume_stage = stage
            self.s.misses = 0
            return self.ask("I'm sorry, I'm having trouble understanding. Would you like me "
                            "to put you through to the front desk?", "transfer_offer")
        text = f"{lead} {self.question(stage)}"
        if count == 2:
            example = prompts.EXAMPLES.get(_example_key(stage))
            if example:
                text = f"{text} {example}"
        return self.ask(text, stage)

    def missed(self) -> Reply:
        self.s.misses += 1
        return self.reprompt(silence=False)

    def progressed(self) -> None:
        self.s.misses = 0
        self.s.silences = 0

    def appt_text(self, appt: dict[str, str]) -> str:
        when = prompts.spoken_when(datetime.fromisoformat(appt["start"]), self.tz)
        return f"I see {self.service_phrase(appt['service'])} on {when}"

    def service_name(self, code: str) -> str:
        return self.clinic.services.get(code, code.replace("_", " ")).lower()

    def service_phrase(self, code: str) -> str:
        name = self.service_name(code)
        article = "an" if name[:1] in "aeiou" else "a"
        return f"{article} {name}"

    def list_appointments_text(self) -> str:
        items = []
        for a in self.s.appointments[:3]:
            when = prompts.spoken_when(datetime.fromisoformat(a["start"]), self.tz)
            items.append(f"{self.service_phrase(a['service'])} on {when}")
        listed = ", and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 \
            else items[0]
        return f"I see {len(self.s.appointments)} appointments: {listed}. Which one do you mean?"

    def readback(self) -> str:
        s = self.s
        slot = _slot(s.chosen)
        when = prompts.spoken_when(slot.start, self.tz)
        if s.flow == "reschedule":
            old = prompts.spoken_when(datetime.fromisoformat(s.appointment["start"]), self.tz)
            return (f"So I'll move your {self.service_name(s.appointment['service'])} "
                    f"from {old} to {when}. Is that right?")
        return (f"Just to confirm: {self.service_phrase(s.service)} on {when} for {s.name}, "
                f"and we'll reach you at the number ending {prompts.last_four(s.phone)}. "
                "Shall I book it?")

    # --- the turn --------------------------------------------------------------------------

    async def run(self) -> Reply:
        s, heard = self.s, self.heard
        if heard.silent:
            s.silences += 1
            return self.reprompt(silence=True)
        s.silences = 0
        digits = heard.digits.strip()
        if digits:
            return await self.on_digits(digits)
        if s.stage == "cb_name" and s.keypad:
            return await self.on_callback_name(_plain_name(heard.text))
        try:
            u = await self.backend.understand(heard.text, EXPECT.get(s.stage, "intent"),
                                              self.now, self.clinic)
        except DependencyDown:
            return self.keypad_menu(lead="Sorry, I'm having a little trouble hearing you.")
        self.understood = u
        if s.keypad:
            s.keypad = False  # understanding works again: back to conversation
            if s.stage in ("menu", "cb_name"):
                s.stage = "intent"
        return await self.on_understood(u)

    def keypad_menu(self, lead: str = "") -> Reply:
        self.s.keypad = True
        return self.ask(f"{lead} {prompts.KEYPAD_MENU}".strip(), "menu")

    async def on_digits(self, digits: str) -> Reply:
        s = self.s
        if digits == "0" and s.stage not in ("phone", "cb_phone", "appt_phone"):
            return self.transfer()
        if s.stage == "menu" or (s.stage in ("intent", "anything_else") and len(digits) == 1):
            return await self.on_menu_choice(digits)
        yes_no = {"1": "yes", "2": "no"}.get(digits, "")
        if EXPECT.get(s.stage) == "confirm" and yes_no:
            return await self.on_understood(Understood(confirm=yes_no, confidence=1.0))
        if EXPECT.get(s.stage) == "phone" or len(digits) >= 10:
            phone = caller_e164(digits)
            if phone:
                return await self.on_understood(Understood(phone=phone, confidence=1.0))
        if s.stage == "offer" and digits in ("1", "2") and len(s.offers) >= int(digits):
            return await self.choose_offer(int(digits) - 1)
        return self.missed()

    async def on_menu_choice(self, digit: str) -> Reply:
        s = self.s
        if digit == "1":
            s.wanted_booking = True
            if s.keypad:
                return self.start_callback("book an appointment",
                                           lead="Sure. I'll have the clinic call you back "
                                                "to book.")
            return await self.start_book(Understood(intent="book"))
        if digit == "2":
            if s.keypad:
                return self.start_callback("cancel or change an appointment",
                                           lead="Sure. I'll have the clinic call you back.")
            return await self.start_appointment_flow("cancel", Understood(intent="cancel"))
        if digit == "3":
            info = self.info_text("") + " "
            if s.keypad:
                return self.ask(info + prompts.KEYPAD_MENU, "menu")
            return self.ask(info + "Is there anything else I can help with?", "anything_else")
        return self.missed()

    # --- understood speech ---------------------------------------------------------------

    async def on_understood(self, u: Understood) -> Reply:
        s = self.s
        stage = s.stage
        if u.intent == "human" and u.intent_confidence >= 0.5:
            return self.transfer()
        if stage == "transfer_offer":
            if u.confirm == "yes":
                return self.transfer()
            if u.confirm == "no":
                self.progressed()
                back = s.resume_stage or "intent"
                return self.ask(f"Okay, let's try again. {self.question(back)}", back)
            return self.missed()
        if stage in ("intent", "anything_else"):
            return await self.on_intent(u)
        # A change of mind mid-way ("actually, I want to cancel instead").
        if (u.intent in ("book", "cancel", "reschedule") and u.intent != s.flow
                and u.intent_confidence >= 0.7 and s.flow in ("book", "cancel", "reschedule")
                and stage not in ("cb_name", "cb_phone", "cb_phone_callerid")):
            return await self.on_intent(u)
        if u.intent == "info" and u.intent_confidence >= 0.7 and not _fills(u, stage):
            answer = self.info_text(self.heard.text)
            return self.ask(f"{answer} {self.question(stage)}", stage)
        handler = {
            "service": self.on_service, "name": self.on_name, "phone": self.on_phone,
            "phone_callerid": self.on_phone_callerid, "when": self.on_when,
            "offer": self.on_offer, "confirm": self.on_confirm,
            "appt_phone": self.on_appt_phone, "appt_pick": self.on_appt_pick,
            "appt_confirm": self.on_appt_confirm, "cb_name": self.on_cb_name_u,
            "cb_phone_callerid": self.on_cb_phone_callerid, "cb_phone": self.on_cb_phone,
            "menu": self.on_intent,
        }.get(stage)
        if handler is None:
            return await self.on_intent(u)
        return await handler(u)

    async def on_intent(self, u: Understood) -> Reply:
        s = self.s
        if s.stage == "anything_else" and not u.intent and (
                u.confirm == "no" or _DONE.search(self.heard.text)):
            return Reply(say=f"Thanks for calling {self.clinic.name}. Have a great day!",
                         hangup=True)
        if u.intent == "human":
            return self.transfer()
        if u.intent == "book" or (not u.intent and u.service and s.stage == "intent"):
            s.wanted_booking = True
            return await self.start_book(u)
        if u.intent in ("cancel", "reschedule"):
            return await self.start_appointment_flow(u.intent, u)
        if u.intent == "info":
            self.progressed()
            return self.ask(f"{self.info_text(self.heard.text)} Is there anything else I can "
                            "help with?", "anything_else").with_outcome(Outcome.INFO)
        if s.stage == "anything_else" and u.confirm == "yes":
            self.progressed()
            return self.ask("Sure, what else can I do for you?", "intent")
        return self.missed()

    # --- booking -------------------------------------------------------------------------

    def merge(self, u: Understood) -> None:
        s = self.s
        if u.service and s.flow != "reschedule":
            s.service = u.service
        if u.name:
            s.name = u.name
        if u.phone:
            s.phone = u.phone
        if u.has_when:
            s.date = u.date or (s.date if (u.time or u.part_of_day) else "")
            s.time = u.time
            s.part_of_day = "" if u.time else u.part_of_day
            s.asap = False
        elif _ASAP.search(self.heard.text):
            s.asap = True
            s.date = s.time = s.part_of_day = ""

    async def start_book(self, u: Understood) -> Reply:
        s = self.s
        s.flow = "book"
        s.offers, s.chosen = [], {}
        self.merge(u)
        self.progressed()
        return await self.next_book_step(lead="Sure, I can help with that.")

    async def next_book_step(self, lead: str = "") -> Reply:
        s = self.s
        pre = f"{lead} " if lead else ""
        if not s.service:
            return self.ask(f"{pre}What would you like to come in for? "
                            "For example, a cleaning or a checkup.", "service")
        if not s.name:
            return self.ask(f"{pre}Can I get your first and last name?", "name")
        if not s.phone:
            if s.caller and not s.callerid_declined:
                return self.ask(f"{pre}{self.question('phone_callerid')}", "phone_callerid")
            return self.ask(f"{pre}What's the best phone number to reach you?", "phone")
        if not (s.date or s.time or s.part_of_day or s.asap):
            return self.ask(f"{pre}What day and time works best for you?", "when")
        return await self.search_and_offer(lead=lead)

    async def search_and_offer(self, lead: str = "") -> Reply:
        s = self.s
        service = s.appointment.get("service", s.service) if s.flow == "reschedule" \
            else s.service
        try:
            slots, reason = await self.backend.find_slots(
                self.clinic, service, s.date, s.time, s.part_of_day, self.now)
        except DependencyDown:
            return self.booking_down()
        pre = f"{lead} " if lead else ""
        if not slots:
            s.date = s.time = s.part_of_day = ""
            s.asap = False
            why = f" {reason.rstrip('.')}." if reason else ""
            return self.ask(f"{pre}Sorry, I don't have anything open then.{why} "
                            "What other day would work for you?", "when")
        chosen = self.nearest(slots)[:2]
        s.offers = [_slot_dict(x) for x in chosen]
        if s.date and all(x.start.astimezone(_zone(self.tz)).date().isoformat() != s.date
                          for x in chosen):
            asked = prompts.spoken_day(datetime.fromisoformat(s.date).replace(
                hour=12, tzinfo=_zone(self.tz)), self.tz)
            pre += f"I'm sorry, I don't have anything on {asked}. "
        return self.ask(pre + prompts.offer_text([x.start for x in chosen], self.tz), "offer")

    def nearest(self, slots: list[Slot]) -> list[Slot]:
        """Distinct times (two chairs free at 9 are one offer), the time asked for first
        when it is free, then the closest others."""
        distinct: dict[datetime, Slot] = {}
        for slot in slots:
            distinct.setdefault(slot.start, slot)
        slots = list(distinct.values())
        if not self.s.time:
            return slots
        hh, mm = (int(x) for x in self.s.time.split(":"))
        wanted = hh * 60 + mm

        def distance(slot: Slot) -> tuple[int, datetime]:
            local = slot.start.astimezone(_zone(self.tz))
            return abs(local.hour * 60 + local.minute - wanted), slot.start

        return sorted(slots, key=distance)

    async def on_service(self, u: Understood) -> Reply:
        if not u.service:
            return self.missed()
        self.merge(u)
        self.progressed()
        return await self.next_book_step(lead="Got it.")

    async def on_name(self, u: Understood) -> Reply:
        name = u.name or ""
        if not name:
            return self.missed()
        self.merge(u)
        self.progressed()
        return await self.next_book_step(lead=f"Thanks, {_first_name(self.s.name)}.")

    async def on_phone_callerid(self, u: Understood) -> Reply:
        s = self.s
        if u.phone:
            s.phone = u.phone
        elif u.confirm == "yes":
            s.phone = s.caller
        elif u.confirm == "no":
            s.callerid_declined = True
            self.progressed()
            return self.ask("No problem. What's the best number to reach you?", "phone")
        else:
            return self.missed()
        self.merge(Understood(service=u.service, date=u.date, time=u.time,
                              part_of_day=u.part_of_day))
        self.progressed()
        return await self.next_book_step(lead="Great.")

    async def on_phone(self, u: Understood) -> Reply:
        if not u.phone:
            return self.missed()
        self.merge(u)
        self.progressed()
        return await self.next_book_step(lead="Thanks.")

    async def on_when(self, u: Understood) -> Reply:
        s = self.s
        self.merge(u)
        if not (s.date or s.time or s.part_of_day or s.asap):
            return self.missed()
        self.progressed()
        if s.flow == "book":
            return await self.next_book_step()
        return await self.search_and_offer()

    async def on_offer(self, u: Understood) -> Reply:
        s = self.s
        offers = [_slot(o) for o in s.offers]
        text = self.heard.text
        # "The first one" is an ordinal, not the first of the month.
        if not u.time and _SECOND.search(text) and len(offers) > 1:
            return await self.choose_offer(1)
        if not u.time and _FIRST.search(text):
            return await self.choose_offer(0)
        # A time or day that matches an offer picks it; one that does not asks for another.
        if u.time or u.date:
            for i, slot in enumerate(offers):
                local = slot.start.astimezone(_zone(self.tz))
                if (not u.time or local.strftime("%H:%M") == u.time) and (
                        not u.date or local.date().isoformat() == u.date):
                    if u.time or len(offers) == 1 or i == 0:
                        return await self.choose_offer(i)
        if u.confirm == "yes" and not u.has_when:
            return await self.choose_offer(0)
        if u.has_when or _ASAP.search(text):
            self.merge(u)
            self.progressed()
            return await self.search_and_offer(lead="Let me check.")
        if u.confirm == "no" or _NEITHER.search(text):
            self.progressed()
            s.date = s.time = s.part_of_day = ""
            return self.ask("No problem. What other day or time would suit you?", "when")
        if u.service and s.flow == "book" and u.service != s.service:
            self.merge(u)
            return await self.search_and_offer(lead=f"Sure, {self.service_phrase(u.service)}.")
        return self.missed()

    async def choose_offer(self, index: int) -> Reply:
        self.s.chosen = self.s.offers[index]
        self.progressed()
        return self.ask(self.readback(), "confirm")

    async def on_confirm(self, u: Understood) -> Reply:
        s = self.s
        if u.confirm == "yes" and not u.has_when:
            return await (self.do_reschedule() if s.flow == "reschedule" else self.do_book())
        changed = False
        if u.name and u.name != s.name and s.flow == "book":
            s.name, changed = u.name, True
        if u.phone and u.phone != s.phone and s.flow == "book":
            s.phone, changed = u.phone, True
        if u.has_when or (u.service and u.service != s.service and s.flow == "book"):
            self.merge(u)
            self.progressed()
            return await self.search_and_offer(lead="No problem, let me check.")
        if changed:
            self.progressed()
            return self.ask(f"Thanks for the correction. {self.readback()}", "confirm")
        others = [o for o in s.offers if o != s.chosen]
        if others and _SECOND.search(self.heard.text):  # "no, the other one"
            return await self.choose_offer(s.offers.index(others[0]))
        if u.confirm == "no":
            self.progressed()
            s.chosen = {}
            s.date = s.time = s.part_of_day = ""
            return self.ask("No problem. What day and time would suit you better?", "when")
        return self.missed()

    async def do_book(self) -> Reply:
        s = self.s
        slot = _slot(s.chosen)
        try:
            appointment_id = await self.backend.book(
                self.clinic, key=_booking_key(s.call_sid, "book", s.service, slot),
                name=s.name, phone=s.phone,
                slot=slot, call_sid=s.call_sid, now=self.now)
        except SlotTaken as taken:
            return self.slot_taken(taken)
        except Refused as refused:
            s.chosen, s.date, s.time, s.part_of_day = {}, "", "", ""
            return self.ask(f"Sorry, I can't book that time. {refused} "
                            "What other day would work for you?", "when")
        except DependencyDown:
            return self.booking_down()
        self.progressed()
        when = prompts.spoken_when(slot.start, self.tz)
        text = f"You're all set, {_first_name(s.name)}: {self.service_phrase(s.service)} on {when}."
        sms = None
        if self.convo.sms_enabled and self.clinic.phone_number:
            text += " I'll send you a text to confirm."
            sms = SmsRequest(
                to=s.phone, from_=self.clinic.phone_number,
                body=(f"{self.clinic.name}: your {self.service_name(s.service)} is booked for "
                      f"{when}. Call {self.clinic.phone_number} to change it."),
            )
        s.flow = ""
        reply = self.ask(f"{text} Is there anything else I can help with?", "anything_else")
        reply.outcome = int(Outcome.BOOKED)
        reply.appointment_id = appointment_id
        reply.sms = sms
        return reply

    def slot_taken(self, taken: SlotTaken) -> Reply:
        s = self.s
        s.chosen = {}
        alternatives = self.nearest(taken.alternatives)[:2]
        if not alternatives:
            s.date = s.time = s.part_of_day = ""
            return self.ask("I'm sorry, that time was just taken. What other day would work "
                            "for you?", "when")
        s.offers = [_slot_dict(x) for x in alternatives]
        offer = prompts.offer_text([x.start for x in alternatives], self.tz)
        return self.ask(f"I'm sorry, that time was just taken. {offer}", "offer")

    # --- cancel and reschedule -------------------------------------------------------------

    async def start_appointment_flow(self, flow: str, u: Understood) -> Reply:
        s = self.s
        s.flow = flow
        s.offers, s.chosen, s.appointment = [], {}, {}
        self.progressed()
        phone = u.phone or s.phone or s.caller
        if not phone:
            return self.ask("Sure. What phone number is the appointment under?", "appt_phone")
        return await self.lookup_appointments(phone, from_callerid=not (u.phone or s.phone),
                                              u=u)

    async def lookup_appointments(self, phone: str, *, from_callerid: bool,
                                  u: Understood | None = None) -> Reply:
        s = self.s
        try:
            found = await self.backend.find_appointments(self.clinic, phone, self.now)
        except DependencyDown:
            return self.booking_down()
        s.phone = phone
        if not found:
            if from_callerid:
                return self.ask(
                    "I couldn't find an upcoming appointment under the number ending "
                    f"{prompts.last_four(phone)}. What number is it booked under?", "appt_phone")
            return self.transfer(lead="I couldn't find an upcoming appointment under that "
                                      "number either. Let me put you through to the front desk.")
        s.appointments = [_appt_dict(a) for a in found]
        if len(found) == 1:
            s.appointment = s.appointments[0]
            verb = "cancel" if s.flow == "cancel" else "move"
            return self.ask(f"{self.appt_text(s.appointment)}. Is that the one you'd like "
                            f"to {verb}?", "appt_confirm")
        if u is not None and (u.date or u.service):
            picked = self.match_appointment(u)
            if picked is not None:
                s.appointment = picked
                verb = "cancel" if s.flow == "cancel" else "move"
                return self.ask(f"{self.appt_text(picked)}. Is that the one you'd like to "
                                f"{verb}?", "appt_confirm")
        return self.ask(self.list_appointments_text(), "appt_pick")

    async def on_appt_phone(self, u: Understood) -> Reply:
        if not u.phone:
            return self.missed()
        self.progressed()
        return await self.lookup_appointments(u.phone, from_callerid=False)

    def match_appointment(self, u: Understood) -> dict[str, str] | None:
        text = self.heard.text
        appts = self.s.appointments
        candidates = appts
        if u.date:
            candidates = [a for a in candidates
                          if datetime.fromisoformat(a["start"]).astimezone(_zone(self.tz))
                          .date().isoformat() == u.date]
        if u.service:
            candidates = [a for a in candidates if a["service"] == u.service] or candidates
        if len(candidates) == 1 and candidates is not appts:
            return candidates[0]
        if _SECOND.search(text) and len(appts) > 1:
            return appts[1]
        if _FIRST.search(text):
            return appts[0]
        return None

    async def on_appt_pick(self, u: Understood) -> Reply:
        picked = self.match_appointment(u)
        if picked is None:
            return self.missed()
        self.s.appointment = picked
        self.progressed()
        verb = "cancel" if self.s.flow == "cancel" else "move"
        return self.ask(f"{self.appt_text(picked)}. Is that the one you'd like to {verb}?",
                        "appt_confirm")

    async def on_appt_confirm(self, u: Understood) -> Reply:
        s = self.s
        if u.confirm == "no":
            self.progressed()
            if len(s.appointments) > 1:
                return self.ask(self.list_appointments_text(), "appt_pick")
            return self.transfer(lead="Okay. Let me put you through to the front desk so they "
                                      "can help.")
        if u.confirm != "yes":
            return self.missed()
        self.progressed()
        if s.flow == "cancel":
            try:
                await self.backend.cancel(self.clinic, s.appointment["id"])
            except DependencyDown:
                return self.booking_down()
            when = prompts.spoken_when(datetime.fromisoformat(s.appointment["start"]), self.tz)
            name = self.service_name(s.appointment["service"])
            s.flow = ""
            reply = self.ask(f"Done. Your {name} on {when} is cancelled. Is there anything "
                             "else I can help with?", "anything_else")
            reply.outcome = int(Outcome.CANCELLED)
            reply.appointment_id = s.appointment["id"]
            return reply
        s.date = u.date
        s.time = u.time
        s.part_of_day = u.part_of_day
        if u.has_when:
            return await self.search_and_offer(lead="Okay.")
        return self.ask("Okay. What day and time would work better for you?", "when")

    async def do_reschedule(self) -> Reply:
        s = self.s
        slot = _slot(s.chosen)
        try:
            await self.backend.reschedule(
                self.clinic, s.appointment["id"], slot,
                _booking_key(s.call_sid, "move", s.appointment["id"], slot), self.now)
        except SlotTaken as taken:
            return self.slot_taken(taken)
        except Refused as refused:
            s.chosen = {}
            return self.ask(f"Sorry, I can't move it to that time. {refused} What other day "
                            "would work for you?", "when")
        except DependencyDown:
            return self.booking_down()
        self.progressed()
        when = prompts.spoken_when(slot.start, self.tz)
        name = self.service_name(s.appointment["service"])
        appointment_id = s.appointment["id"]
        s.flow = ""
        reply = self.ask(f"Done. Your {name} is now on {when}. Is there anything else I can "
                         "help with?", "anything_else")
        reply.outcome = int(Outcome.RESCHEDULED)
        reply.appointment_id = appointment_id
        return reply

    # --- call-backs (booking unavailable, or keypad only) -----------------------------------

    def booking_down(self) -> Reply:
        reason = {"book": "book an appointment", "cancel": "cancel an appointment",
                  "reschedule": "change an appointment"}.get(self.s.flow, "call back")
        if self.s.service and self.s.flow == "book":
            reason = f"book {self.service_phrase(self.s.service)}"
        return self.start_callback(
            reason, lead="I'm sorry, our booking system isn't responding right now. I can take "
                         "your details and someone from the clinic will call you back.")

    def start_callback(self, reason: str, lead: str) -> Reply:
        s = self.s
        s.flow = "callback"
        s.appointment = {"reason": reason}
        if not s.name:
            return self.ask(f"{lead} Can I get your first and last name?", "cb_name")
        return self.after_callback_name(lead)

    def after_callback_name(self, lead: str = "") -> Reply:
        s = self.s
        pre = f"{lead} " if lead else ""
        if s.phone:
            return self.file_callback(lead)
        if s.caller and not s.callerid_declined:
            say = f"{pre}Is the number ending {prompts.last_four(s.caller)} the best one to " \
                  "reach you?"
            if s.keypad:
                say += " Press 1 for yes or 2 for no."
            return self.ask(say, "cb_phone_callerid")
        return self.ask(f"{pre}What's the best number to reach you? You can type it on your "
                        "keypad.", "cb_phone")

    async def on_callback_name(self, name: str) -> Reply:
        if not name:
            return self.missed()
        self.s.name = name
        self.progressed()
        return self.after_callback_name(f"Thanks, {_first_name(name)}.")

    async def on_cb_name_u(self, u: Understood) -> Reply:
        return await self.on_callback_name(u.name or _plain_name(self.heard.text))

    async def on_cb_phone_callerid(self, u: Understood) -> Reply:
        s = self.s
        if u.phone:
            s.phone = u.phone
        elif u.confirm == "yes":
            s.phone = s.caller
        elif u.confirm == "no":
            s.callerid_declined = True
            return self.ask("What's the best number to reach you? You can type it on your "
                            "keypad.", "cb_phone")
        else:
            return self.missed()
        return self.file_callback()

    async def on_cb_phone(self, u: Understood) -> Reply:
        if not u.phone:
            return self.missed()
        self.s.phone = u.phone
        return self.file_callback()

    def file_callback(self, lead: str = "") -> Reply:
        s = self.s
        pre = f"{lead} " if lead else f"Thanks, {_first_name(s.name)}. "
        reply = Reply(
            say=(f"{pre}Someone from the clinic will call you back at "
                 f"the number ending {prompts.last_four(s.phone)} as soon as they can. Goodbye."),
            hangup=True, outcome=int(Outcome.CALLBACK),
            callback=CallbackRequest(name=s.name, phone=s.phone,
                                     reason=s.appointment.get("reason", "call back")),
        )
        return reply

    # --- information and transfer ----------------------------------------------------------

    def info_text(self, text: str) -> str:
        c = self.clinic
        answers = {
            "hours": prompts.hours_text(c.hours),
            "address": f"We're at {c.address}." if c.address else "",
            "parking": c.parking,
            "insurance": c.insurance,
        }
        said = [answers[topic] for topic, rx in _TOPICS if rx.search(text) and answers[topic]]
        if not said:
            said = [a for a in (answers["hours"], answers["address"]) if a]
        return " ".join(said)

    def transfer(self, lead: str = "") -> Reply:
        number = self.clinic.front_desk_number
        if not number:
            return Reply(say=f"I'm sorry, the front desk isn't reachable right now. Please call "
                             f"{self.clinic.name} back during office hours. Goodbye.",
                         hangup=True, outcome=int(Outcome.FAILED))
        say = lead or "Of course. I'll put you through to the front desk now."
        return Reply(say=say, dial=number, outcome=int(Outcome.TRANSFERRED))


def _fills(u: Understood, stage: str) -> bool:
    expect = EXPECT.get(stage, "")
    return bool(
        (expect == "name" and u.name) or (expect == "phone" and u.phone)
        or (expect == "datetime" and u.has_when) or (expect == "service" and u.service)
        or (expect == "confirm" and u.confirm)
    )


def _example_key(stage: str) -> str:
    return {
        "anything_else": "intent", "cb_name": "name", "cb_phone": "phone",
        "appt_phone": "phone", "phone_callerid": "confirm", "cb_phone_callerid": "confirm",
        "appt_confirm": "confirm", "transfer_offer": "confirm", "appt_pick": "pick",
    }.get(stage, stage)


def _plain_name(text: str) -> str:
    """A name from raw speech when NLP cannot help: drop the lead-in words."""
    name = text.strip().strip(".!?")
    for _ in range(3):
        name = _NAME_LEADS.sub("", name).strip()
    words = [w for w in re.split(r"\s+", name) if w][:4]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)

