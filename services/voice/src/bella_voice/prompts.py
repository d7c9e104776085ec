"""What Bella says: short, natural receptionist phrasing, and how times are read out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

EXAMPLES = {
    "intent": "For example, you can say 'I'd like to book a cleaning' or 'I need to cancel'.",
    "service": "For example, 'a cleaning', 'a checkup' or 'I have a toothache'.",
    "name": "For example, 'Jane Smith'.",
    "phone": "You can also type it on your keypad.",
    "when": "For example, 'Tuesday morning' or 'next Friday at 2'.",
    "offer": "You can say 'the first one', 'the second one', or another day.",
    "confirm": "Please say yes or no, or press 1 for yes and 2 for no.",
    "pick": "You can say 'the first one' or the day of the appointment.",
}

KEYPAD_MENU = (
    "Press 1 to book an appointment, 2 to cancel or change one, "
    "3 for our hours and address, or 0 to reach the front desk."
)


def spoken_time(moment: datetime, tz: str) -> str:
    """'9 AM', '10:30 AM', '2 PM' in the clinic's zone."""
    local = moment.astimezone(ZoneInfo(tz))
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    if local.minute:
        return f"{hour}:{local.minute:02d} {suffix}"
    return f"{hour} {suffix}"


def spoken_day(moment: datetime, tz: str) -> str:
    """'Thursday, November 27' in the clinic's zone."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%A}, {local:%B} {local.day}"


def spoken_when(moment: datetime, tz: str) -> str:
    return f"{spoken_day(moment, tz)} at {spoken_time(moment, tz)}"


def offer_text(starts: list[datetime], tz: str) -> str:
    if len(starts) == 1:
        return f"The closest I have is {spoken_when(starts[0], tz)}. Does that work for you?"
    first, second = starts[0], starts[1]
    if spoken_day(first, tz) == spoken_day(second, tz):
        both = f"{spoken_day(first, tz)} at {spoken_time(first, tz)} or {spoken_time(second, tz)}"
    else:
        both = f"{spoken_when(first, tz)}, or {spoken_when(second, tz)}"
    return f"I have {both}. Would either of those work?"


def last_four(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return " ".join(digits[-4:])


def hours_text(hours: list[tuple[int, str, str]]) -> str:
    """'We're open Monday to Friday from 8 AM to 5 PM, and Saturday from 9 AM to 2 PM.'"""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    by_day = {wd: (o, c) for wd, o, c in hours if o and c}
    if not by_day:
        return "Please call the front desk for our hours."
    groups: list[tuple[int, int, tuple[str, str]]] = []
    for wd in range(7):
        span = by_day.get(wd)
        if span is None:
            continue
        if groups and groups[-1][1] == wd - 1 and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], wd, span)
        else:
            groups.append((wd, wd, span))
    parts = []
    for start, end, (open_, close) in groups:
        label = days[start] if start == end else f"{days[start]} to {days[end]}"
        parts.append(f"{label} from {_clock(open_)} to {_clock(close)}")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return f"We're open {text}."


def _clock(hhmm: str) -> str:
    hour, minute = (int(p) for p in hhmm.split(":"))
    suffix = "AM" if hour < 12 else "PM"
    h12 = hour % 12 or 12
    return f"{h12}:{minute:02d} {suffix}" if minute else f"{h12} {suffix}"
