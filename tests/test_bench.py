"""`make bench` runs each benchmark module in its own bounded process and says what it skipped."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest
from bella_core import bench

from tests.processes import gone_within


@pytest.fixture
def fake_benches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "fakebench_ok.py").write_text(
        "def main():\n    print('turn p99: 12.3 ms')\n    return 0\n"
    )
    (tmp_path / "fakebench_fail.py").write_text("def main():\n    return 3\n")
    (tmp_path / "fakebench_slow.py").write_text(textwrap.dedent(f"""
        import subprocess, sys, time
        def main():
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            open({str(tmp_path / "child.pid")!r}, "w").write(str(child.pid))
            time.sleep(60)
    """))
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setattr(
        bench, "MODULES", ("fakebench_ok", "fakebench_fail", "fakebench_missing", "fakebench_slow")
    )
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))


def test_runs_each_module_prints_figures_and_bounds_the_slow_one(
    fake_benches: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    code = bench.main(["--timeout", "3"])
    out = capfd.readouterr().out
    assert code == 1  # one failed, one timed out
    assert "turn p99: 12.3 ms" in out
    assert "fakebench_missing: not there yet, skipped" in out
    assert "fakebench_slow: stopped after 3s (timeout)" in out
    summary = out.split("== summary")[1]
    assert "fakebench_ok" in summary and " ok " in summary
    assert "failed" in summary and "(exit 3)" in summary
    assert time.monotonic() - started < 30
    # The benchmark's own child went down with it.
    child = int((fake_benches / "child.pid").read_text())
    assert gone_within(child, seconds=5)


def test_missing_modules_alone_are_not_a_failure(
    fake_benches: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--only", "fakebench_missing"]) == 0
    assert "not there yet" in capfd.readouterr().out
