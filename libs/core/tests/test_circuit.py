import pytest
from bella_core.circuit import BreakerState, CircuitBreaker, CircuitOpenError


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _fail() -> None:
    raise ConnectionError("down")


async def _ok() -> str:
    return "ok"


async def test_opens_after_threshold_then_fails_fast_and_recovers() -> None:
    clock = Clock()
    breaker = CircuitBreaker("dep", failure_threshold=3, reset_timeout=5, clock=clock)
    for _ in range(3):
        with pytest.raises(ConnectionError):
            await breaker.call(_fail)
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(CircuitOpenError):
        await breaker.call(_ok)
    clock.now = 5.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert await breaker.call(_ok) == "ok"
    assert breaker.state is BreakerState.CLOSED


async def test_failed_trial_reopens() -> None:
    clock = Clock()
    breaker = CircuitBreaker("dep", failure_threshold=1, reset_timeout=5, clock=clock)
    with pytest.raises(ConnectionError):
        await breaker.call(_fail)
    clock.now = 6.0
    with pytest.raises(ConnectionError):
        await breaker.call(_fail)
    assert breaker.state is BreakerState.OPEN
