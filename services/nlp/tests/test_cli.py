"""bella-nlp extract / score, in-process and through the console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bella_nlp.__main__ import main
from bella_nlp.result import GOLD_FIELDS

LINES = [
    {"id": "x1", "expect": "phone", "now": "2026-11-23T10:15:00-05:00", "tz": "America/Toronto",
     "text": "Nine oh five, double five five, oh one four two.",
     "gold": {"phone": "+19055550142"}},
    {"id": "x2", "expect": "datetime", "now": "2026-11-23T10:15:00-05:00",
     "tz": "America/Toronto", "text": "Hold on.", "gold": {"date": "2026-11-24"}},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "mini.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    return path


def test_extract_prints_id_and_the_eight_fields(corpus: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(corpus)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2"]
    assert set(rows[0]) == {"id", *GOLD_FIELDS}
    assert rows[0]["phone"] == "+19055550142" and rows[0]["name"] is None
    assert rows[1]["date"] is None


def test_score_reports_fields_and_lines(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "phone" in out and "100.00%" in out
    assert "fully correct: 50.00% (1/2)" in out


def test_console_script_reads_stdin(corpus: Path) -> None:
    exe = Path(sys.executable).with_name("bella-nlp")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bella_nlp"]
    proc = subprocess.run([*cmd, "extract", "-"], input=corpus.read_text(), text=True,
                          capture_output=True, timeout=60, check=True)
    assert json.loads(proc.stdout.splitlines()[0])["phone"] == "+19055550142"
