"""The Bella/NLP metrics (otel/metrics.yaml), created from the meter the service is given.

Attributes are low-cardinality only: operation and outcome.
"""

from __future__ import annotations

from opentelemetry import metrics

OPERATION = "extract"


class NlpMetrics:
    def __init__(self, meter: metrics.Meter) -> None:
        self.accuracy = meter.create_histogram(
            "ExtractionAccuracy", unit="%",
            description="Extraction confidence x 100, one value per extraction",
        )
        self.latency = meter.create_histogram(
            "ExtractionLatency", unit="ms",
            description="Time to extract intent and slots from one utterance",
        )
        self.openai_latency = meter.create_histogram(
            "OpenAIAPILatency", unit="ms", description="OpenAI API call latency"
        )
        self.openai_tokens = meter.create_counter(
            "OpenAITokenUsage", unit="{token}", description="Tokens billed by OpenAI"
        )
        self.cache_hit = meter.create_histogram(
            "CacheHitRate", unit="%", description="100 for a cache hit, 0 for a miss"
        )
        self.artifacts = meter.create_histogram(
            "ArtifactFilteringEffectiveness", unit="%",
            description="Share of speech-recognition artefacts removed from an utterance (0-100)",
        )

    def extraction(self, confidence: float | None, elapsed_ms: float, outcome: str,
                   artifact_ratio: float) -> None:
        # An utterance with nothing to extract ("Hello?") says nothing about accuracy.
        if confidence is not None:
            self.accuracy.record(100.0 * confidence, {"operation": OPERATION})
        self.latency.record(elapsed_ms, {"operation": OPERATION, "outcome": outcome})
        self.artifacts.record(100.0 * artifact_ratio, {"operation": OPERATION})

    def cache_lookup(self, hit: bool) -> None:
        self.cache_hit.record(100.0 if hit else 0.0, {"operation": OPERATION})

    def openai_call(self, elapsed_ms: float, outcome: str, tokens: int) -> None:
        self.openai_latency.record(elapsed_ms, {"operation": OPERATION, "outcome": outcome})
        if tokens:
            self.openai_tokens.add(tokens, {"operation": OPERATION})
