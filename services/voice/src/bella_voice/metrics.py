"""Bella/Voice metrics, created from the Telemetry's meter (no module globals), with the
names, units and attributes of the team's table (otel/metrics.yaml).

Attributes are low-cardinality only: operation (the webhook: voice, gather, status,
fallback), outcome, clinic. Never a phone number, a CallSid or anything said.
"""

from __future__ import annotations

from bella_core.telemetry import SystemHealth
from opentelemetry import metrics


class VoiceMetrics:
    def __init__(self, meter: metrics.Meter, system_health: SystemHealth | None = None) -> None:
        self.call_volume = meter.create_counter(
            "CallVolume", unit="{call}", description="Inbound calls answered")
        self.webhook_latency = meter.create_histogram(
            "TwilioWebhookLatency", unit="ms",
            description="Time to answer a Twilio webhook (Twilio gives up after 15 s)")
        self.processing_latency = meter.create_histogram(
            "VoiceProcessingLatency", unit="ms",
            description="Time spent understanding and acting on one caller turn")
        self.speech_accuracy = meter.create_histogram(
            "SpeechRecognitionAccuracy", unit="%",
            description="Twilio's speech Confidence x 100, one value per utterance")
        self.request_count = meter.create_counter(
            "RequestCount", unit="{request}", description="HTTP requests served")
        self.response_time = meter.create_histogram(
            "ResponseTime", unit="ms", description="HTTP response time")
        self.error_rate = meter.create_histogram(
            "ErrorRate", unit="%",
            description="100 for a request that failed (apology or 5xx), else 0; mean = rate")
        self.call_outcome = meter.create_counter(
            "CallOutcome", unit="{call}", description="Finished calls by outcome")
        self.security_events = meter.create_counter(
            "SecurityEvents", unit="{event}",
            description="Refused requests: bad Twilio signatures, oversize bodies")
        self.system_health = system_health

    def set_health(self, checks: dict[str, bool]) -> None:
        if self.system_health is not None:
            for name, ok in checks.items():
                self.system_health.set(name, ok)

    def request(self, operation: str, seconds: float, *, outcome: str) -> None:
        ms = seconds * 1000
        attrs = {"operation": operation, "outcome": outcome}
        self.request_count.add(1, attrs)
        self.response_time.record(ms, attrs)
        self.webhook_latency.record(ms, attrs)
        self.error_rate.record(100.0 if outcome == "error" else 0.0, {"operation": operation})

    def refused(self, operation: str, kind: str) -> None:
        self.security_events.add(1, {"operation": kind, "outcome": "rejected"})
        self.request_count.add(1, {"operation": operation, "outcome": "refused"})
