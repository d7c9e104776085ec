"""The request path without gRPC: cache, then the LLM engine when configured
(falling back to the rules engine), then metrics, and attributes with no caller data on
the request's span."""

from __future__ import annotations

import datetime as dt
import time

import structlog
from opentelemetry import trace

from bella_nlp.cache import ExtractionCache, cache_key
from bella_nlp.cleaning import clean, sanitize, too_long
from bella_nlp.dates import EARLY_HOURS_END
from bella_nlp.extractor import extract, local_now
from bella_nlp.llm import LlmEngine
from bella_nlp.metrics import NlpMetrics
from bella_nlp.result import EXPECTS, Extraction

log = structlog.get_logger(__name__)


class TextTooLong(ValueError):
    pass


class NlpEngine:
    def __init__(
        self,
        metrics: NlpMetrics,
        cache: ExtractionCache | None = None,
        llm: LlmEngine | None = None,
    ) -> None:
        self.metrics = metrics
        self.cache = cache
        self.llm = llm

    async def extract(
        self, text: str, expect: str, now: dt.datetime | None, tz: str
    ) -> tuple[Extraction, bool]:
        """(result, served from cache). Raises TextTooLong over 4096 bytes."""
        if too_long(text):
            raise TextTooLong
        started = time.perf_counter()
        expect = expect if expect in EXPECTS else "intent"
        when = local_now(now, tz)
        # The gRPC server span carries the attributes: a child span per request would cost
        # as much again and add nothing.
        span = trace.get_current_span()
        span.set_attribute("bella.expect", expect)
        key = None
        if self.cache is not None:
            # "tomorrow" said in the small hours means the coming day: part of the key.
            period = "early" if when.hour < EARLY_HOURS_END else "day"
            key = cache_key(sanitize(text), expect, f"{when.date()}|{period}", tz)
            hit = await self.cache.get(key)
            self.metrics.cache_lookup(hit is not None)
            if hit is not None:
                self._finish(span, hit, started, "cache_hit")
                return hit, True
        result: Extraction | None = None
        outcome = "rules"
        if self.llm is not None and text.strip():
            result = await self.llm.extract(sanitize(text), expect, when, tz)
            if result is not None:
                cleaned = clean(sanitize(text))
                result.cleaned_text = cleaned.text
                result.artifact_ratio = cleaned.artifact_ratio
                outcome = "llm"
            else:
                outcome = "llm_fallback"
        if result is None:
            try:
                result = extract(text, expect, when, tz)
            except Exception as exc:  # a rules bug must not fail the caller's turn
                log.error("nlp.rules_failed", error=type(exc).__name__)
                result = Extraction()
                outcome = "error"
        if self.cache is not None and key is not None:
            await self.cache.put(key, result)
        self._finish(span, result, started, outcome)
        return result, False

    def _finish(self, span: trace.Span, result: Extraction, started: float, outcome: str) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        span.set_attribute("bella.engine", result.engine)
        span.set_attribute("bella.outcome", outcome)
        filled = any(result.gold_fields().values())
        self.metrics.extraction(
            result.mean_confidence() if filled else None, elapsed, outcome, result.artifact_ratio
        )

    async def close(self) -> None:
        if self.cache is not None:
            await self.cache.close()
        if self.llm is not None:
            await self.llm.close()
