"""The Bella/Admin metrics, created from the service's own meter (no globals).

Names, units and attributes follow otel/metrics.yaml (the table the collector's
metric declarations and the alarms are generated from). Attributes are
low-cardinality only: route templates, outcomes and event kinds; never a
user, patient, phone or address.
"""

from __future__ import annotations

from bella_core.telemetry import SystemHealth
from opentelemetry.metrics import Meter


def request_outcome(status: int) -> str:
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "client_error"
    return "ok"


class AdminMetrics:
    def __init__(self, meter: Meter, health: SystemHealth) -> None:
        self.health = health
        self.dashboard_load = meter.create_histogram(
            "DashboardLoadTime", unit="ms", description="Server time to render a dashboard page"
        )
        self.logins = meter.create_counter(
            "AdminLoginCount", unit="{login}", description="Sign-in attempts by outcome"
        )
        self.security_events = meter.create_counter(
            "SecurityEvents", unit="{event}",
            description="Lock-outs, CSRF rejections, refused roles, bad tokens, expired sessions",
        )
        self.requests = meter.create_counter(
            "RequestCount", unit="{request}", description="HTTP requests served"
        )
        self.response_time = meter.create_histogram(
            "ResponseTime", unit="ms", description="HTTP response time"
        )
        # 100 for a 5xx response, 0 otherwise: the average is the error rate in percent.
        self.error_rate = meter.create_histogram(
            "ErrorRate", unit="%", description="Share of HTTP responses that were server errors"
        )

    @property
    def health_percent(self) -> float:
        return self.health.percent

    def login(self, outcome: str) -> None:
        self.logins.add(1, {"outcome": outcome})

    def security(self, kind: str) -> None:
        self.security_events.add(1, {"operation": kind})

    def request(self, route: str, method: str, status: int, ms: float, page: bool) -> None:
        operation = f"{method} {route}"
        attrs = {"operation": operation, "outcome": request_outcome(status)}
        self.requests.add(1, attrs)
        self.response_time.record(ms, attrs)
        self.error_rate.record(100.0 if status >= 500 else 0.0, {"operation": operation})
        if page:
            self.dashboard_load.record(ms, {"operation": route})
