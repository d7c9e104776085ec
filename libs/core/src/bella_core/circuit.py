"""An asyncio circuit breaker for calls to a dependency that may be down.

Closed: calls pass. After ``failure_threshold`` consecutive failures it
opens: calls fail fast with :class:`CircuitOpenError` for ``reset_timeout``
seconds, then one trial call is let through (half-open); its success closes
the breaker, its failure opens it again. The state is reported as the
CircuitBreakerState gauge (0 closed, 1 half-open, 2 open) so operators see
a dependency being shed.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import TypeVar

from opentelemetry import metrics

T = TypeVar("T")


class BreakerState(IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitOpenError(RuntimeError):
    """Raised instead of calling a dependency whose breaker is open."""


class _BreakerGauge:
    """One CircuitBreakerState gauge per meter reporting every breaker on it.

    The SDK keeps only the first callback registered under an instrument name on a meter,
    so a second breaker creating its own gauge would never be reported.
    """

    def __init__(self, meter: metrics.Meter) -> None:
        self.breakers: weakref.WeakSet[CircuitBreaker] = weakref.WeakSet()
        meter.create_observable_gauge(
            "CircuitBreakerState",
            callbacks=[self._observe],
            unit="1",
            description="0 closed, 1 half-open, 2 open",
        )

    def _observe(self, _options: metrics.CallbackOptions) -> list[metrics.Observation]:
        return [
            metrics.Observation(int(b.state), {"dependency": b.name}) for b in list(self.breakers)
        ]


_GAUGES: weakref.WeakKeyDictionary[metrics.Meter, _BreakerGauge] = weakref.WeakKeyDictionary()


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        reset_timeout: float = 10.0,
        meter: metrics.Meter | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False
        if meter is not None:
            gauge = _GAUGES.get(meter)
            if gauge is None:
                gauge = _GAUGES[meter] = _BreakerGauge(meter)
            gauge.breakers.add(self)

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.reset_timeout:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self._trial_in_flight = False
        self._failures += 1
        if self._opened_at is not None or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        if not self.allow():
            raise CircuitOpenError(f"{self.name} circuit is open")
        try:
            result = await fn()
        except Exception:
            self.record_failure()
            raise
        self.record_success()
        return result
