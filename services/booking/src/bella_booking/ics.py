"""iCalendar (RFC 5545) rendering of a clinic's appointments for staff calendars.

Each event carries the service, the chair/provider and the patient's first
name and last initial only: no phone number, no full name, no notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from icalendar import Calendar, Event

from bella_booking.rules import Clinic
from bella_booking.store import AppointmentView


def short_name(full_name: str) -> str:
    """'Jane Q. Doe' -> 'Jane D.'; a single name stays as it is."""
    parts = full_name.split()
    if not parts:
        return "Patient"
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0].upper()}."


def event_summary(clinic: Clinic, appointment: AppointmentView) -> str:
    service = clinic.services.get(appointment.service)
    label = service.name if service else appointment.service
    return f"{label}: {short_name(appointment.patient_name)}"


def render_ics(clinic: Clinic, items: Sequence[AppointmentView]) -> str:
    cal = Calendar()
    cal.add("prodid", "-//Bella//Booking//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clinic.name)
    cal.add("x-wr-timezone", clinic.time_zone)
    stamp = datetime.now(UTC)
    for a in items:
        event = Event()
        event.add("uid", f"{a.id}@bella-booking")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.start.astimezone(UTC))
        event.add("dtend", a.end.astimezone(UTC))
        event.add("summary", event_summary(clinic, a))
        event.add("location", a.chair_name)
        event.add("status", "CONFIRMED")
        event.add("last-modified", a.updated_at.astimezone(UTC))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
