"""The headline figure: share of fully correct lines on the dev corpus and on our own
held-out-style corpus."""

from __future__ import annotations

from pathlib import Path

from bella_nlp.__main__ import run_record
from bella_nlp.scoring import Score, read_jsonl, score_records

from .conftest import BATCHES, SEALED


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


def _score(paths: list[Path]) -> Score:
    records: list[dict] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            records.extend(read_jsonl(fh))
    return score_records(records, run_record)


def test_blind_batches_stay_fixed() -> None:
    """Every phenomenon fixed from the batches stays fixed (a regression guard: the first-seen
    scores are in the README)."""
    paths = sorted(BATCHES.glob("*.jsonl"))
    assert len(paths) >= 30
    score = _score(paths)
    assert score.lines >= 2000
    assert score.accuracy >= 0.98, score.failures[:10]


def test_sealed_corpora_at_least_95_percent() -> None:
    """Lines never fixed against: a rule that breaks unseen speech shows here first."""
    paths = sorted(SEALED.glob("*.jsonl"))
    assert len(paths) >= 2
    score = _score(paths)
    assert score.lines >= 480
    assert score.accuracy >= 0.95, score.failures[:10]
