"""The Bella/Admin metrics, created from the service's own meter (no globals).

Dimensions are low-cardinality only: route templates, methods, status
classes, outcomes and event kinds; never a user, patient, phone or IP.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry.metrics import CallbackOptions, Meter, Observation


class AdminMetrics:
    def __init__(self, meter: Meter) -> None:
        self.dashboard_load = meter.create_histogram(
            "DashboardLoadTime", unit="ms", description="Server time to render a dashboard page"
        )
        self.logins = meter.create_counter(
            "AdminLoginCount", unit="1", description="Login attempts by outcome"
        )
        self.security_events = meter.create_counter(
            "SecurityEvents", unit="1",
            description="Lock-outs, CSRF rejections, refused roles, bad tokens, expired sessions",
        )
        self.requests = meter.create_counter("RequestCount", unit="1", description="HTTP requests")
        self.response_time = meter.create_histogram(
            "ResponseTime", unit="ms", description="HTTP response time"
        )
        # 100 for a 5xx response, 0 otherwise: the average is the error rate in percent.
        self.error_rate = meter.create_histogram(
            "ErrorRate", unit="%", description="Share of HTTP responses that were server errors"
        )
        self.health_percent = 100.0
        meter.create_observable_gauge(
            "SystemHealth", callbacks=[self._observe_health], unit="%",
            description="Share of the admin service's dependencies answering",
        )

    def _observe_health(self, _: CallbackOptions) -> Iterable[Observation]:
        yield Observation(self.health_percent, {"service": "Admin"})

    def login(self, outcome: str) -> None:
        self.logins.add(1, {"outcome": outcome})

    def security(self, kind: str) -> None:
        self.security_events.add(1, {"kind": kind})

    def request(self, route: str, method: str, status: int, ms: float, page: bool) -> None:
        attrs = {"operation": f"{method} {route}", "status_class": f"{status // 100}xx"}
        self.requests.add(1, attrs)
        self.response_time.record(ms, attrs)
        self.error_rate.record(100.0 if status >= 500 else 0.0, {"operation": attrs["operation"]})
        if page:
            self.dashboard_load.record(ms, {"page": route})
