"""The Bella/Booking metrics, created from the meter the service is given.

Dimensions are low-cardinality only: operation, outcome, clinic, rule, source.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from opentelemetry import metrics


class BookingMetrics:
    def __init__(self, meter: metrics.Meter, pool_usage: Callable[[], float] | None = None) -> None:
        self.query_latency = meter.create_histogram(
            "QueryLatency", unit="ms", description="Time spent in one booking database operation"
        )
        self.transactions = meter.create_counter(
            "TransactionCount", unit="1", description="Database transactions by operation/outcome"
        )
        self.database_errors = meter.create_counter(
            "DatabaseErrors", unit="1", description="Database errors by operation and kind"
        )
        self.rule_violations = meter.create_counter(
            "BusinessRuleViolations",
            unit="1",
            description="Requests refused by a clinic rule (past, hours, holiday, notice, ...)",
        )
        self.calendar_latency = meter.create_histogram(
            "CalendarIntegrationLatency", unit="ms", description="Google Calendar API call time"
        )
        self.bookings = meter.create_counter(
            "BookingCount", unit="1", description="Book/Reschedule/Cancel requests by outcome"
        )
        self._pool_usage = pool_usage
        meter.create_observable_gauge(
            "ConnectionPoolUsage",
            callbacks=[self._observe_pool],
            unit="%",
            description="Checked-out connections as a percentage of the pool's capacity",
        )
        meter.create_observable_gauge(
            "SystemHealth",
            callbacks=[self._observe_health],
            unit="%",
            description="Share of recent database operations that succeeded (100 = healthy)",
        )
        # Outcomes of the last database operations; True = reached the database fine.
        self._recent: deque[bool] = deque(maxlen=200)

    def _observe_pool(self, _options: metrics.CallbackOptions) -> list[metrics.Observation]:
        if self._pool_usage is None:
            return []
        return [metrics.Observation(self._pool_usage())]

    def _observe_health(self, _options: metrics.CallbackOptions) -> list[metrics.Observation]:
        return [metrics.Observation(self.health_percent())]

    def health_percent(self) -> float:
        if not self._recent:
            return 100.0
        return 100.0 * sum(self._recent) / len(self._recent)

    def record_db(self, operation: str, outcome: str, elapsed_ms: float) -> None:
        attrs = {"operation": operation, "outcome": outcome}
        self.query_latency.record(elapsed_ms, attrs)
        self.transactions.add(1, attrs)
        self._recent.append(outcome != "unavailable" and outcome != "error")

    def db_error(self, operation: str, kind: str) -> None:
        self.database_errors.add(1, {"operation": operation, "outcome": kind})

    def rule_violation(self, rule: str, clinic: str) -> None:
        # The table's dimension is `operation` (= the rule): under any other name the
        # [service, operation] declaration would not select the point.
        self.rule_violations.add(1, {"operation": rule, "clinic": clinic})

    def booking(self, operation: str, outcome: str, clinic: str) -> None:
        # Which channel booked (voice or admin) is on the appointment row, not a dimension.
        self.bookings.add(1, {"operation": operation, "outcome": outcome, "clinic": clinic})

    @contextmanager
    def calendar_call(self, operation: str) -> Iterator[dict[str, str]]:
        attrs = {"operation": operation, "outcome": "ok"}
        started = time.perf_counter()
        try:
            yield attrs
        except Exception:
            attrs["outcome"] = "error"
            raise
        finally:
            self.calendar_latency.record((time.perf_counter() - started) * 1000, attrs)
