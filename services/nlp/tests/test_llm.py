"""The optional LLM engine, with the real openai client against a local fake server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bella_core.circuit import CircuitBreaker
from bella_core.telemetry import setup_telemetry
from bella_nlp.engine import NlpEngine
from bella_nlp.llm import LlmEngine, MalformedAnswer, parse_answer
from bella_nlp.metrics import NlpMetrics
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from .conftest import MONDAY
from .fake_openai import FakeOpenAI

UTTERANCE = "I'd like a cleaning tomorrow at 3, it's Ada Lovelace, 416-555-0199."


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def make_engine(fake: FakeOpenAI, model: str, reader: InMemoryMetricReader | None = None,
                threshold: int = 5) -> NlpEngine:
    telemetry = setup_telemetry("NLP", set_global=False,
                                metric_readers=[reader] if reader else [])
    metrics = NlpMetrics(telemetry.meter)
    llm = LlmEngine.create(
        api_key="sk-test", base_url=fake.base_url, model=model, timeout_seconds=0.5,
        min_confidence=0.5, metrics=metrics,
        breaker=CircuitBreaker("openai", failure_threshold=threshold, reset_timeout=60),
    )
    return NlpEngine(metrics, llm=llm)


def metric_names(reader: InMemoryMetricReader) -> dict[str, list]:
    data = reader.get_metrics_data()
    out: dict[str, list] = {}
    for rm in data.resource_metrics if data else []:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                out[m.name] = list(m.data.data_points)
    return out


async def test_good_answer_is_used_and_tokens_and_latency_recorded(fake: FakeOpenAI) -> None:
    reader = InMemoryMetricReader()
    engine = make_engine(fake, "good", reader)
    result, cached = await engine.extract(UTTERANCE, "intent", MONDAY, "America/Toronto")
    assert result.engine == "llm" and not cached
    assert (result.name, result.phone, result.service) == ("Ada Lovelace", "+14165550199",
                                                           "cleaning")
    request = fake.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["response_format"]["type"] == "json_schema"
    points = metric_names(reader)
    assert sum(p.value for p in points["OpenAITokenUsage"]) == 150
    assert points["OpenAIAPILatency"][0].count == 1


@pytest.mark.parametrize("model", ["slow", "error", "malformed", "invalid", "lowconf"])
async def test_bad_answers_fall_back_to_the_rules_engine(fake: FakeOpenAI, model: str) -> None:
    engine = make_engine(fake, model)
    result, _ = await engine.extract(UTTERANCE, "intent", MONDAY, "America/Toronto")
    assert result.engine == "rules"
    assert (result.date, result.time, result.service) == ("2026-11-24", "15:00", "cleaning")


async def test_circuit_opens_after_repeated_errors(fake: FakeOpenAI) -> None:
    engine = make_engine(fake, "error", threshold=2)
    before = len(fake.requests)
    for _ in range(4):
        result, _ = await engine.extract("Tomorrow at 3.", "datetime", MONDAY, "America/Toronto")
        assert result.engine == "rules" and result.time == "15:00"
    # Two failures opened the breaker: the other calls never reached the server.
    assert len(fake.requests) - before == 2


def test_answer_validation() -> None:
    with pytest.raises(MalformedAnswer):
        parse_answer('{"intent": "party"}')
    with pytest.raises(MalformedAnswer):
        parse_answer("[]")
    fields, conf = parse_answer(
        '{"intent": null, "name": null, "phone": null, "date": "2026-02-28", "time": null,'
        ' "part_of_day": "evening", "service": null, "confirm": null, "confidence": 0.8}'
    )
    assert fields["date"] == "2026-02-28" and conf == 0.8
    with pytest.raises(MalformedAnswer):
        parse_answer('{"date": "2026-02-30", "confidence": 0.9}')
