"""Domain errors, each mapped to one gRPC status code by the servicer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bella_booking.slots import SlotCandidate


class BookingError(Exception):
    """Base class; ``message`` is safe to show a receptionist (no patient data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(BookingError):
    """Malformed input: unknown clinic or service, bad phone, end before start."""


class RuleViolation(BookingError):
    """A rule the clinic enforces: past, too soon, beyond the horizon, closed, holiday."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


class NotFound(BookingError):
    pass


class SlotTaken(BookingError):
    """The database refused the slot (exclusion constraint); carries alternatives."""

    def __init__(self, message: str, alternatives: Sequence[SlotCandidate]) -> None:
        super().__init__(message)
        self.alternatives = list(alternatives)


class Unavailable(BookingError):
    """PostgreSQL cannot be reached right now; the caller may retry later."""
