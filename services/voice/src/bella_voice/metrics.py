"""Bella/Voice metrics, created from the Telemetry's meter (no module globals).

Dimensions are low-cardinality only: clinic, outcome, route. Never a phone
number, a CallSid or anything the caller said.
"""

from __future__ import annotations

from opentelemetry import metrics


class VoiceMetrics:
    def __init__(self, meter: metrics.Meter) -> None:
        self.call_volume = meter.create_counter(
            "CallVolume", unit="1", description="Incoming calls answered")
        self.webhook_latency = meter.create_histogram(
            "TwilioWebhookLatency", unit="ms", description="Twilio webhook handling time")
        self.processing_latency = meter.create_histogram(
            "VoiceProcessingLatency", unit="ms",
            description="Conversation turn time (understanding, booking, state)")
        self.speech_accuracy = meter.create_histogram(
            "SpeechRecognitionAccuracy", unit="%", description="Twilio's speech Confidence")
        self.request_count = meter.create_counter(
            "RequestCount", unit="1", description="HTTP requests")
        self.response_time = meter.create_histogram(
            "ResponseTime", unit="ms", description="HTTP response time")
        self.error_rate = meter.create_histogram(
            "ErrorRate", unit="%",
            description="100 for a request that failed (5xx or apology), else 0; mean = rate")
        self.call_outcome = meter.create_counter(
            "CallOutcome", unit="1", description="Finished calls by outcome")
        self.security_events = meter.create_counter(
            "SecurityEvents", unit="1", description="Refused requests (bad signature, oversize)")
        self._health = 100.0
        meter.create_observable_gauge(
            "SystemHealth", callbacks=[self._observe_health], unit="%",
            description="Share of dependencies answering at the last readiness check")

    def _observe_health(self, _options: metrics.CallbackOptions) -> list[metrics.Observation]:
        return [metrics.Observation(self._health)]

    def set_health(self, healthy: int, total: int) -> None:
        self._health = 100.0 * healthy / total if total else 100.0

    def request(self, route: str, seconds: float, *, failed: bool) -> None:
        attrs = {"route": route}
        self.request_count.add(1, attrs)
        self.response_time.record(seconds * 1000, attrs)
        self.error_rate.record(100.0 if failed else 0.0, attrs)
