"""Optional LLM engine: the openai library's chat completions with structured
outputs (a JSON schema of the same fields), behind a timeout and a circuit
breaker. Any error, timeout, malformed or implausible answer, or low
confidence returns None so the caller falls back to the rules engine."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import Any

import structlog
from bella_core.circuit import CircuitBreaker, CircuitOpenError
from openai import AsyncOpenAI

from bella_nlp.metrics import NlpMetrics
from bella_nlp.result import INTENTS, PARTS_OF_DAY, SERVICES, Confidence, Extraction

log = structlog.get_logger(__name__)


def _nullable_enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": ["string", "null"], "enum": [*values, None]}


_STRING_OR_NULL = {"type": ["string", "null"]}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["intent", "name", "phone", "date", "time", "part_of_day", "service", "confirm",
                 "confidence"],
    "properties": {
        "intent": _nullable_enum(INTENTS),
        "name": _STRING_OR_NULL,
        "phone": _STRING_OR_NULL,
        "date": _STRING_OR_NULL,
        "time": _STRING_OR_NULL,
        "part_of_day": _nullable_enum(PARTS_OF_DAY),
        "service": _nullable_enum(SERVICES),
        "confirm": _nullable_enum(("yes", "no")),
        "confidence": {"type": "number"},
    },
}

SYSTEM_PROMPT = """You read what a caller said to a Canadian dental clinic's phone assistant
(speech recognition output) and return JSON with these fields, null when not said:
intent: book | cancel | reschedule | human (asks for a person) | info (hours, location, price,
insurance); name: the patient's name as said (spelled-out letters win); phone: E.164, a 10-digit
North American number gets +1, too few digits is null; date: YYYY-MM-DD local to the clinic,
resolved against the moment given; time: HH:MM 24-hour, a bare hour 1-7 means afternoon, 8-11
morning, 12 noon; part_of_day: morning | afternoon | evening, only when no exact time;
service: cleaning | checkup | emergency | filling | crown | root_canal | extraction | whitening |
consultation; confirm: yes | no | null, only when the assistant asked a yes/no question.
Later self-corrections win. confidence: your overall confidence from 0 to 1."""

_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class MalformedAnswer(ValueError):
    pass


def parse_answer(content: str | None) -> tuple[dict[str, Any], float]:
    """Validate the model's JSON against the field conventions."""
    if not content:
        raise MalformedAnswer("empty")
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise MalformedAnswer("not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedAnswer("not an object")
    fields: dict[str, Any] = {}
    checks = {
        "intent": lambda v: v in INTENTS,
        "name": lambda v: isinstance(v, str) and 0 < len(v) <= 120,
        "phone": lambda v: isinstance(v, str) and bool(_PHONE.match(v)),
        "date": lambda v: isinstance(v, str) and bool(_DATE.match(v)) and _real_date(v),
        "time": lambda v: isinstance(v, str) and bool(_TIME.match(v)),
        "part_of_day": lambda v: v in PARTS_OF_DAY,
        "service": lambda v: v in SERVICES,
        "confirm": lambda v: v in ("yes", "no"),
    }
    for name, ok in checks.items():
        value = data.get(name)
        if value is None:
            fields[name] = None
        elif ok(value):
            fields[name] = value
        else:
            raise MalformedAnswer(f"bad {name}")
    confidence = data.get("confidence")
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise MalformedAnswer("bad confidence")
    return fields, float(confidence)


def _real_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class LlmEngine:
    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        breaker: CircuitBreaker,
        metrics: NlpMetrics | None = None,
        timeout_seconds: float = 3.0,
        min_confidence: float = 0.5,
    ) -> None:
        self.client = client
        self.model = model
        self.breaker = breaker
        self.metrics = metrics
        self.timeout = timeout_seconds
        self.min_confidence = min_confidence

    @classmethod
    def create(
        cls,
        api_key: str,
        base_url: str | None,
        model: str,
        timeout_seconds: float,
        min_confidence: float,
        metrics: NlpMetrics | None,
        breaker: CircuitBreaker,
    ) -> LlmEngine:
        # No client-side retries: the rules engine is the fallback, and latency matters more.
        client = AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_seconds, max_retries=0
        )
        return cls(client, model, breaker, metrics, timeout_seconds, min_confidence)

    async def extract(
        self, text: str, expect: str, now: dt.datetime, tz: str
    ) -> Extraction | None:
        started = time.perf_counter()
        outcome = "ok"
        tokens = 0
        try:
            response = await self.breaker.call(
                lambda: self.client.chat.completions.create(
                    model=self.model,
                    messages=[
                        {"role": "system", "content": SYSTEM_PROMPT},
                        {
                            "role": "user",
                            "content": json.dumps({
                                "assistant_asked_for": expect,
                                "now": now.isoformat(),
                                "clinic_time_zone": tz,
                                "caller_said": text,
                            }),
                        },
                    ],
                    response_format={
                        "type": "json_schema",
                        "json_schema": {"name": "extraction", "strict": True, "schema": SCHEMA},
                    },
                    temperature=0,
                    timeout=self.timeout,
                )
            )
            if response.usage is not None:
                tokens = int(response.usage.total_tokens or 0)
            content = response.choices[0].message.content if response.choices else None
            fields, confidence = parse_answer(content)
        except CircuitOpenError:
            outcome = "circuit_open"
            return None
        except MalformedAnswer as exc:
            outcome = "malformed"
            log.warning("nlp.llm_malformed", reason=str(exc))
            return None
        except Exception as exc:
            outcome = "timeout" if "Timeout" in type(exc).__name__ else "error"
            log.warning("nlp.llm_failed", error=type(exc).__name__)
            return None
        finally:
            if self.metrics is not None:
                elapsed = (time.perf_counter() - started) * 1000
                self.metrics.openai_call(elapsed, outcome, tokens)
        if confidence < self.min_confidence:
            log.info("nlp.llm_low_confidence")
            return None
        if expect != "confirm":
            fields["confirm"] = None
        if fields.get("time"):
            fields["part_of_day"] = None
        conf = Confidence(**{k: (confidence if v else 0.0) for k, v in fields.items()})
        return Extraction(**fields, confidence=conf, engine="llm")

    async def close(self) -> None:
        await self.client.close()
