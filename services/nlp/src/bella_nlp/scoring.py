"""Scoring against a corpus in tests/corpus/FORMAT.md's format."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bella_nlp.cleaning import strip_accents
from bella_nlp.result import GOLD_FIELDS, Extraction


def read_jsonl(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    for line in lines:
        line = line.strip()
        if line:
            yield json.loads(line)


def parse_now(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def normalise(field_name: str, value: Any) -> Any:
    if value is None:
        return None
    if field_name == "name":
        return " ".join(strip_accents(str(value)).lower().split())
    return value


def field_correct(field_name: str, gold: Any, got: Any) -> bool:
    got_n = normalise(field_name, got)
    if isinstance(gold, list):
        return got_n in [normalise(field_name, g) for g in gold]
    return bool(normalise(field_name, gold) == got_n)


@dataclass
class Score:
    lines: int = 0
    correct_lines: int = 0
    per_field: dict[str, list[int]] = field(default_factory=dict)  # field -> [correct, total]
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct_lines / self.lines if self.lines else 0.0

    def field_accuracy(self) -> dict[str, float]:
        return {f: c / t for f, (c, t) in self.per_field.items() if t}


def score_records(
    records: Iterable[dict[str, Any]], run: Callable[[dict[str, Any]], Extraction]
) -> Score:
    score = Score()
    for rec in records:
        got = run(rec).gold_fields()
        gold = rec.get("gold", {})
        ok_line = True
        wrong = {}
        for f in GOLD_FIELDS:
            if f not in gold:
                continue
            counts = score.per_field.setdefault(f, [0, 0])
            counts[1] += 1
            if field_correct(f, gold[f], got.get(f)):
                counts[0] += 1
            else:
                ok_line = False
                wrong[f] = {"gold": gold[f], "got": got.get(f)}
        score.lines += 1
        if ok_line:
            score.correct_lines += 1
        else:
            score.failures.append({"id": rec.get("id"), "text": rec.get("text"), "wrong": wrong})
    return score
