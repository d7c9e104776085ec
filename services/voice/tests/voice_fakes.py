"""A tiny stand-in for the NLP service, used only by the unit tests of the
conversation (the integration tests use the real NLP service)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bella_voice.conversation import Clinic, Understood

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SERVICES = {"cleaning": "cleaning", "checkup": "checkup", "check-up": "checkup",
            "toothache": "emergency", "filling": "filling"}


def understand(text: str, expect: str, now: datetime, tz: str) -> Understood:
    t = text.lower()
    u = Understood()
    if re.search(r"\b(person|human|front desk|receptionist)\b", t):
        u.intent = "human"
    elif re.search(r"\bcancel\b", t):
        u.intent = "cancel"
    elif re.search(r"\b(reschedule|move|change)\b", t):
        u.intent = "reschedule"
    elif re.search(r"\b(book|appointment|come in)\b", t):
        u.intent = "book"
    elif re.search(r"\b(hours|open|where|parking|insurance)\b", t):
        u.intent = "info"
    u.intent_confidence = 0.9 if u.intent else 0.0
    for word, code in SERVICES.items():
        if word in t:
            u.service = code
    m = re.search(r"(?:my name is|this is|it's|name's)\s+([a-z]+ [a-z]+)", t)
    if m:
        u.name = m.group(1).title()
    elif expect == "name" and re.fullmatch(r"[a-z]+ [a-z]+", t.strip(" .")):
        u.name = t.strip(" .").title()
    digits = re.sub(r"\D", "", t)
    if len(digits) == 10:
        u.phone = "+1" + digits
    if re.search(r"^(yes|yeah|yep|sure|correct|that's right|sounds good|please do)\b", t):
        u.confirm = "yes"
    elif re.search(r"^(no|nope|not)\b", t):
        u.confirm = "no"
    local = now.astimezone(ZoneInfo(tz))
    if "tomorrow" in t:
        u.date = (local.date() + timedelta(days=1)).isoformat()
    for i, day in enumerate(DAYS):
        if day in t:
            ahead = (i - local.weekday()) % 7 or 7
            u.date = (local.date() + timedelta(days=ahead)).isoformat()
    m = re.search(r"\b(\d{1,2})(?::(\d\d))?\s*(am|pm)\b", t)
    if m:
        hour = int(m.group(1)) % 12 + (12 if m.group(3) == "pm" else 0)
        u.time = f"{hour:02d}:{m.group(2) or '00'}"
    elif "morning" in t:
        u.part_of_day = "morning"
    elif "afternoon" in t:
        u.part_of_day = "afternoon"
    found = [v for v in (u.intent, u.name, u.phone, u.date, u.time, u.service, u.confirm) if v]
    u.confidence = 0.9 if found else 0.0
    return u


class FakeNlp:
    def __init__(self) -> None:
        self.down = False

    async def __call__(self, text: str, expect: str, now: datetime, clinic: Clinic
                       ) -> Understood:
        from bella_voice.conversation import DependencyDown

        if self.down:
            raise DependencyDown("nlp")
        return understand(text, expect, now, clinic.time_zone)
