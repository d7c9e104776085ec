"""The clinic configuration file (YAML) that `bella-booking seed` loads.

The packaged ``clinics/demo.yaml`` holds the two demo clinics. Validation
happens here, before anything reaches the database, so a typo in a clinic's
hours stops the seed with a message naming the clinic and the field.
"""

from __future__ import annotations

import re
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bella_booking.errors import InvalidArgument
from bella_booking.phone import to_e164

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PROVINCES = frozenset(
    {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
)
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a 24-hour HH:MM time")
    return time(int(match.group(1)), int(match.group(2)))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakConfig(_Strict):
    start: str
    end: str

    @model_validator(mode="after")
    def _ordered(self) -> BreakConfig:
        if parse_hhmm(self.start) >= parse_hhmm(self.end):
            raise ValueError(f"break {self.start}-{self.end} ends before it starts")
        return self


class DayConfig(_Strict):
    open: str
    close: str
    breaks: list[BreakConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> DayConfig:
        opens, closes = parse_hhmm(self.open), parse_hhmm(self.close)
        if opens >= closes:
            raise ValueError(f"opens at {self.open} but closes at {self.close}")
        for b in self.breaks:
            if parse_hhmm(b.start) < opens or parse_hhmm(b.end) > closes:
                raise ValueError(f"break {b.start}-{b.end} is outside {self.open}-{self.close}")
        return self


class ServiceConfig(_Strict):
    name: str
    minutes: int = Field(ge=5, le=480)


class ChairConfig(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    services: list[str]


class ClinicConfig(_Strict):
    id: str = Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    time_zone: str
    province: str
    phone_number: str
    front_desk_number: str = ""
    address: str = ""
    parking: str = ""
    insurance: str = ""
    buffer_minutes: int = Field(default=0, ge=0, le=120)
    min_notice_minutes: int = Field(default=120, ge=0)
    horizon_days: int = Field(default=90, ge=1, le=730)
    slot_step_minutes: int = Field(default=15, ge=5, le=120)
    services: dict[str, ServiceConfig]
    # Weekday (mon..sun) -> hours; a missing day is closed.
    hours: dict[str, DayConfig]
    chairs: list[ChairConfig] = Field(min_length=1)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("province")
    @classmethod
    def _province(cls, value: str) -> str:
        if value not in PROVINCES:
            raise ValueError(f"{value!r} is not a Canadian province or territory code")
        return value

    @field_validator("phone_number", "front_desk_number")
    @classmethod
    def _e164(cls, value: str) -> str:
        if not value:
            return value
        try:
            return to_e164(value)
        except InvalidArgument as exc:
            raise ValueError(f"{value!r}: {exc}") from None

    @field_validator("hours")
    @classmethod
    def _weekdays(cls, value: dict[str, DayConfig]) -> dict[str, DayConfig]:
        unknown = set(value) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekday(s) {sorted(unknown)}; use {', '.join(WEEKDAYS)}")
        return value

    @model_validator(mode="after")
    def _chairs_do_known_services(self) -> ClinicConfig:
        codes = [c.code for c in self.chairs]
        if len(set(codes)) != len(codes):
            raise ValueError("chair codes must be unique within a clinic")
        for chair in self.chairs:
            unknown = set(chair.services) - set(self.services)
            if unknown:
                raise ValueError(f"chair {chair.code} lists unknown services {sorted(unknown)}")
        orphan = set(self.services) - {s for c in self.chairs for s in c.services}
        if orphan:
            raise ValueError(f"no chair does {sorted(orphan)}")
        return self


class ClinicsFile(_Strict):
    clinics: list[ClinicConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ClinicsFile:
        ids = [c.id for c in self.clinics]
        phones = [c.phone_number for c in self.clinics]
        if len(set(ids)) != len(ids):
            raise ValueError("clinic ids must be unique")
        if len(set(phones)) != len(phones):
            raise ValueError("clinic phone numbers must be unique")
        return self


def load_clinics(path: Path | None = None) -> list[ClinicConfig]:
    """Parse and validate a clinics YAML file (the packaged demo clinics by default)."""
    if path is None:
        text = resources.files("bella_booking").joinpath("clinics/demo.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data: Any = yaml.safe_load(text)
    return ClinicsFile.model_validate(data).clinics
