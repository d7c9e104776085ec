"""Simulated callers: who they are, what they want, and how they answer.

A caller reacts to what Bella says (the <Say> text), as a person would,
rather than following a fixed script: the load and fault tests then survive
wording changes and exercise corrections, keypad menus and call-backs.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .twilio_caller import Answer, TwilioCaller

FIRST_NAMES = [
    "Amelia", "Bartholomew", "Chidinma", "Desmond", "Evangeline", "Florian", "Gwendolyn",
    "Horatio", "Isadora", "Jasper", "Katarzyna", "Leopold", "Marguerite", "Nikolai", "Ophelia",
    "Percival", "Quintessa", "Rosalind", "Sebastian", "Theodora",
]  # fmt: skip
LAST_NAMES = [
    "Abernathy", "Blackwood", "Castellano", "Drummond", "Everhart", "Fairweather",
    "Galbraith", "Holloway", "Ingersoll", "Jorgensen", "Kowalczyk", "Lindqvist", "Montgomery",
    "Nakamura", "Oyelaran", "Pemberton", "Quackenbush", "Rutherford", "Szymanski", "Thistlewood",
]  # fmt: skip
GARBAGE = [
    "purple monkey dishwasher",
    "uh",
    "blorf zibble wump",
    "the quick brown fox",
    "hello? hello? is this thing on",
    "asdf qwerty",
    "",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = ["9 am", "10 am", "11 am", "1 pm", "2 pm", "3 pm", "4 pm"]


class Kind(StrEnum):
    BOOK = "book"
    CANCEL = "cancel"
    INFO = "info"
    GARBAGE = "garbage"


@dataclass
class Persona:
    kind: Kind
    name: str
    phone: str  # E.164
    service: str = "cleaning"
    day: str = "Tuesday"
    time: str = "10 am"
    over_answer: bool = False

    @property
    def spoken_phone(self) -> str:
        d = self.phone[-10:]
        return f"{d[:3]} {d[3:6]} {d[6:]}"


@dataclass
class CallResult:
    persona: Persona
    call_sid: str
    turns: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (caller, bella)
    heard_booked: bool = False
    heard_cancelled: bool = False
    heard_keypad: bool = False
    heard_callback: bool = False
    transferred: bool = False
    ended: bool = False
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0
    max_latency: float = 0.0

    @property
    def bella_texts(self) -> list[str]:
        return [b for _, b in self.transcript]


def make_persona(kind: Kind, index: int, rng: random.Random, *, area: str = "416") -> Persona:
    """A fake caller with a unique phone number (555-xxxx numbers are valid in Canada)."""
    name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index // 20) % len(LAST_NAMES)]}"
    phone = f"+1{area}555{index % 10000:04d}"
    return Persona(
        kind=kind,
        name=name,
        phone=phone,
        service=rng.choice(["cleaning", "checkup", "cleaning"]),
        day=rng.choice(DAYS),
        time=rng.choice(TIMES),
        over_answer=rng.random() < 0.3,
    )


# What Bella says, matched loosely: the caller reacts to the gist, not the wording.
_KEYPAD = re.compile(r"\bpress\b")
# "Press 1 to book, 2 to cancel, or 0 for the front desk" and "for hours, press 3".
_MENU_OPTION = re.compile(r"(?<![\d:])(\d)\s+(?:to|for)\s+([a-z' ]+)")
_MENU_OPTION_AFTER = re.compile(r"(?:to|for)\s+([a-z' ]+?),?\s+press\s+(\d)")
_BOOKED = re.compile(r"\b(you're booked|you are booked|is booked|all set|booked you|confirmed)\b")
_CANCELLED = re.compile(r"\b(cancelled|canceled)\b")
_CALLBACK = re.compile(r"call(?:\s|-)?back|call you back|get back to you|someone will call")
_ASK_CONFIRM = re.compile(
    r"(shall i|should i|is that right|is that correct|do you want me to|confirm|did i get that"
    r"|is that okay|okay\?|sound good|right\?)"
)
_ASK_NAME = re.compile(
    r"\b(your name|name please|full name|first and last name|who am i speaking|spell)"
)
_ASK_CALLER_ID = re.compile(r"(ending in|ending with|number ending|this number)")
_ASK_PHONE = re.compile(r"(phone number|number to reach|reach you|best number|your number)")
_ASK_WHEN = re.compile(r"(what day|which day|when would|what time|when works|preferred|when is)")
_ASK_SERVICE = re.compile(
    r"(which service|what service|what kind|what type|cleaning or|checkup or|come in for)"
)
_OFFER = re.compile(r"\b(\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.))")
_ANYTHING_ELSE = re.compile(r"(anything else|something else|else i can)")
_WHICH_APPT = re.compile(r"(which one|which appointment)")


_STEPS = (
    ("confirm", _ASK_CONFIRM), ("offer", _OFFER), ("when", _ASK_WHEN),
    ("caller_id", _ASK_CALLER_ID), ("phone", _ASK_PHONE), ("name", _ASK_NAME),
    ("service", _ASK_SERVICE), ("keypad", _KEYPAD), ("anything_else", _ANYTHING_ELSE),
)  # fmt: skip


def step_of(previous: Answer | None) -> str:
    """Which question a request answers, from what Bella said before it (for latency figures)."""
    if previous is None:
        return "ring"
    text = previous.text.lower()
    for step, rx in _STEPS:
        if rx.search(text):
            return step
    return "intent"


def _intent_sentence(p: Persona) -> str:
    if p.kind is Kind.BOOK:
        if p.over_answer:
            return (
                f"Hi, this is {p.name}, I'd like to book a {p.service} "
                f"on {p.day} at {p.time}"
            )
        return f"Hi, I'd like to book a {p.service}"
    if p.kind is Kind.CANCEL:
        return "I need to cancel my appointment"
    if p.kind is Kind.INFO:
        return "What are your hours?"
    return random.choice(GARBAGE)


def _menu_digit(text: str, p: Persona) -> str | None:
    wanted = {
        Kind.BOOK: ("book", "appointment", "schedule"),
        Kind.CANCEL: ("cancel",),
        Kind.INFO: ("hour", "address", "location", "information", "question"),
        Kind.GARBAGE: ("front desk", "person", "someone"),
    }[p.kind]
    options = [(m.group(1), m.group(2)) for m in _MENU_OPTION.finditer(text)]
    options += [(m.group(2), m.group(1)) for m in _MENU_OPTION_AFTER.finditer(text)]
    for digit, label in options:
        if any(w in label for w in wanted):
            return digit
    return None


def reply(answer: Answer, p: Persona, turn: int, rng: random.Random) -> tuple[str, str]:
    """What the caller does next: ("say", text), ("press", digits) or ("hangup", "")."""
    text = answer.text.lower()
    if p.kind is Kind.GARBAGE:
        if turn >= 5:
            return ("hangup", "")
        if rng.random() < 0.3:
            return ("press", rng.choice(["9", "#", "0000", "*7"]))
        return ("say", rng.choice(GARBAGE))
    if _ANYTHING_ELSE.search(text) or (turn > 0 and (_BOOKED.search(text) or (
        _CANCELLED.search(text) and p.kind is Kind.CANCEL
    ))):
        return ("say", "No, that's all, thank you")
    if p.kind is Kind.INFO and turn >= 3:
        return ("hangup", "")
    if _KEYPAD.search(text) and answer.gather_input != "speech":
        if "phone" in text or ("number" in text and "digit" in text):
            return ("press", p.phone[-10:])
        digit = _menu_digit(text, p)
        if digit is not None:
            return ("press", digit)
        if "confirm" in text or "yes" in text:
            m = re.search(
                r"(?:yes|confirm)[^.]*?press\s+(\d)|press\s+(\d)[^.]*?(?:yes|confirm)", text
            )
            if m:
                return ("press", m.group(1) or m.group(2))
    if turn == 0:
        return ("say", _intent_sentence(p))
    if _ASK_CALLER_ID.search(text):
        return ("say", "Yes")
    if _ASK_NAME.search(text):
        return ("say", f"It's {p.name}")
    if _ASK_PHONE.search(text):
        return ("say", p.spoken_phone)
    if _WHICH_APPT.search(text):
        return ("say", "The first one")
    if _ASK_CONFIRM.search(text):
        return ("say", "Yes please")
    if _ASK_SERVICE.search(text):
        return ("say", p.service)
    if len(_OFFER.findall(text)) >= 2:
        return ("say", "The first one works")
    if _OFFER.search(text) and "?" in text:
        return ("say", "Yes, that works")
    if _ASK_WHEN.search(text):
        return ("say", f"{p.day} at {p.time}")
    if p.kind is Kind.INFO:
        return ("say", "Where are you located?") if turn == 1 else ("hangup", "")
    return ("say", _intent_sentence(p))


ThinkFn = Callable[[], Awaitable[None]]


def think_time(low: float, high: float, rng: random.Random) -> ThinkFn:
    async def pause() -> None:
        if high > 0:
            await asyncio.sleep(rng.uniform(low, high))

    return pause


async def run_call(
    caller: TwilioCaller,
    persona: Persona,
    *,
    think: ThinkFn,
    rng: random.Random,
    max_turns: int = 16,
    on_turn: Callable[[float, bool], None] | None = None,
) -> CallResult:
    """Place one call and converse until Bella or the caller hangs up."""
    result = CallResult(persona=persona, call_sid=caller.call_sid)

    previous: list[Answer | None] = [None]

    def record(answer: Answer, said: str) -> bool:
        ok = answer.status == 200
        result.steps.append((step_of(previous[0]), answer.latency))
        previous[0] = answer
        result.turns += 1
        result.latencies.append(answer.latency)
        result.max_latency = max(result.max_latency, answer.latency)
        if on_turn is not None:
            on_turn(answer.latency, ok)
        if not ok:
            result.errors.append(f"HTTP {answer.status} on {answer.url}: {answer.body[:120]}")
            return False
        text = answer.text.lower()
        result.transcript.append((said, answer.text))
        result.heard_booked |= bool(_BOOKED.search(text)) and persona.kind is Kind.BOOK
        result.heard_cancelled |= bool(_CANCELLED.search(text)) and persona.kind is Kind.CANCEL
        result.heard_keypad |= bool(_KEYPAD.search(text))
        result.heard_callback |= bool(_CALLBACK.search(text))
        result.transferred |= answer.dial is not None
        return True

    try:
        answer = await caller.dial()
        if not record(answer, "<ring>"):
            return result
        for turn in range(max_turns):
            while answer.gather_action is None and answer.redirect is not None:
                answer = await caller.follow_redirect()
                if not record(answer, "<redirect>"):
                    return result
            if answer.ends_call:
                result.ended = True
                break
            await think()
            action, value = reply(answer, persona, turn, rng)
            if action == "hangup":
                break
            if action == "press":
                answer = await caller.press(value)
            elif value:
                answer = await caller.say(value, confidence=rng.uniform(0.75, 0.98))
            else:
                answer = await caller.silence()
            if not record(answer, value or "<silence>"):
                return result
    except Exception as exc:  # transport errors and invalid TwiML count as errors
        result.errors.append(f"{type(exc).__name__}: {exc}")
        if on_turn is not None:
            on_turn(0.0, False)
        return result
    result.finished = time.monotonic()
    try:
        resp = await caller.hang_up()
        if resp.status_code >= 400:
            result.errors.append(f"status callback HTTP {resp.status_code}")
    except Exception as exc:
        result.errors.append(f"status callback {type(exc).__name__}: {exc}")
    return result
