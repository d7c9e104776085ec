from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DEV_CORPUS = REPO / "tests" / "corpus" / "dev.jsonl"
# Our own held-out-style lines, written blind to the engine's output (see the README).
EXTRA_CORPUS = REPO / "tests" / "corpus" / "extra.jsonl"
# Blind batches by area (intent, services and names, dates and phones), fixed against after.
BATCHES = REPO / "tests" / "corpus" / "batches"
# Written blind and never fixed against: the held-out estimate (see the README).
SEALED = REPO / "tests" / "corpus" / "sealed"


@pytest.fixture
def dev_corpus() -> Path:
    return DEV_CORPUS


@pytest.fixture
def extra_corpus() -> Path:
    return EXTRA_CORPUS


# Monday 23 November 2026, 10:15 in Toronto.
MONDAY = dt.datetime.fromisoformat("2026-11-23T10:15:00-05:00")
