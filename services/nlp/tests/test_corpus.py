"""The headline figure: share of fully correct lines on the dev corpus and on our own
held-out-style corpus."""

from __future__ import annotations

from pathlib import Path

from bella_nlp.__main__ import run_record
from bella_nlp.scoring import read_jsonl, score_records


def test_dev_corpus_at_least_95_percent_fully_correct(dev_corpus: Path) -> None:
    with dev_corpus.open(encoding="utf-8") as fh:
        score = score_records(read_jsonl(fh), run_record)
    assert score.lines == 450
    assert score.accuracy >= 0.95, score.failures[:10]
    for field_name, acc in score.field_accuracy().items():
        assert acc >= 0.9, (field_name, acc)


def test_extra_corpus_at_least_95_percent_fully_correct(extra_corpus: Path) -> None:
    with extra_corpus.open(encoding="utf-8") as fh:
        score = score_records(read_jsonl(fh), run_record)
    assert score.lines >= 250
    assert score.accuracy >= 0.95, score.failures[:10]
    for field_name, acc in score.field_accuracy().items():
        assert acc >= 0.9, (field_name, acc)
