"""The Redis cache: identical requests are answered from Redis; Redis down is a miss."""

from __future__ import annotations

import pytest
from bella_core.telemetry import setup_telemetry
from bella_nlp.cache import ExtractionCache
from bella_nlp.engine import NlpEngine
from bella_nlp.metrics import NlpMetrics
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from redis.asyncio import Redis

from .conftest import MONDAY


def engine_with(cache: ExtractionCache, reader: InMemoryMetricReader) -> NlpEngine:
    telemetry = setup_telemetry("NLP", set_global=False, metric_readers=[reader])
    return NlpEngine(NlpMetrics(telemetry.meter), cache=cache)


def cache_points(reader: InMemoryMetricReader) -> list[float]:
    data = reader.get_metrics_data()
    values: list[float] = []
    for rm in data.resource_metrics if data else []:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                if m.name == "CacheHitRate":
                    for p in m.data.data_points:
                        values.append(p.sum / p.count if p.count else 0.0)
    return values


async def test_second_identical_request_comes_from_redis(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    # The session's Redis is shared with other suites (CI points every worker at one server).
    for stale in await client.keys("bella:nlp:*"):
        await client.delete(stale)
    reader = InMemoryMetricReader()
    engine = engine_with(ExtractionCache(client, ttl_seconds=60, timeout_seconds=1.0), reader)
    first, cached1 = await engine.extract("Thursday at 2, please.", "datetime", MONDAY,
                                          "America/Toronto")
    second, cached2 = await engine.extract("Thursday at 2, please.", "datetime", MONDAY,
                                           "America/Toronto")
    assert (cached1, cached2) == (False, True)
    assert second.gold_fields() == first.gold_fields() == {
        **first.gold_fields(), "date": "2026-11-26", "time": "14:00"}
    # Different expectation or zone: computed again.
    _, cached3 = await engine.extract("Thursday at 2, please.", "confirm", MONDAY,
                                      "America/Toronto")
    assert not cached3
    assert cache_points(reader) == [pytest.approx(100 / 3)]
    keys = [k.decode() for k in await client.keys("bella:nlp:*")]
    assert keys and all("Thursday" not in k for k in keys)
    assert 0 < await client.ttl(keys[0]) <= 60
    await engine.close()


async def test_redis_down_still_answers() -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    reader = InMemoryMetricReader()
    cache = ExtractionCache(dead, ttl_seconds=60, timeout_seconds=0.3)
    engine = engine_with(cache, reader)
    result, cached = await engine.extract("Tomorrow at 3.", "datetime", MONDAY, "America/Toronto")
    assert not cached and (result.date, result.time) == ("2026-11-24", "15:00")
    assert not cache.healthy
    await engine.close()
