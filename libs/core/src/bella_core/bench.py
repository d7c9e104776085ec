"""`make bench`: run every service's benchmark and print its figures.

Each ``bella_<svc>.bench`` (and ``bella_monitoring.bench``) module has a
``main()`` printing its figures. Each runs in its own process, one at a time
(the machine has two cores: parallel benchmarks would measure each other),
bounded by a timeout. A module that does not exist yet is reported in one
line and skipped.

    python -m bella_core.bench [--only nlp,booking] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

MODULES = (
    "bella_nlp.bench",
    "bella_booking.bench",
    "bella_voice.bench",
    "bella_admin.bench",
    "bella_monitoring.bench",
    # The whole stack as processes under 50 concurrent simulated calls (make soak: 100, longer).
    "tests.load.bench",
)


@dataclass
class Outcome:
    module: str
    status: str  # ok | failed | timeout | missing
    seconds: float = 0.0
    code: int | None = None


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def run_one(module: str, timeout: float) -> Outcome:
    if not _exists(module):
        print(f"== {module}: not there yet, skipped", flush=True)
        return Outcome(module, "missing")
    print(f"== {module}", flush=True)
    started = time.monotonic()
    # The module's own stdout/stderr go straight to ours: figures appear as they are measured.
    code = f"import {module} as m; raise SystemExit(m.main())"
    # Own process group: a timeout also stops any servers the benchmark started.
    proc = subprocess.Popen(  # noqa: S603 - our interpreter and a module name from MODULES
        [sys.executable, "-c", code], stdin=subprocess.DEVNULL, start_new_session=True
    )
    try:
        returncode = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop_group(proc)
        print(f"== {module}: stopped after {timeout:.0f}s (timeout)", flush=True)
        return Outcome(module, "timeout", time.monotonic() - started)
    _stop_group(proc)
    status = "ok" if returncode == 0 else "failed"
    return Outcome(module, status, time.monotonic() - started, returncode)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the benchmark's process group, SIGKILL whatever is left after 5 s."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bella_core.bench")
    parser.add_argument(
        "--only", default="", help="comma-separated: nlp,booking,voice,admin,monitoring"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per benchmark")
    args = parser.parse_args(argv)
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    modules = [m for m in MODULES if not wanted or m.split(".")[0].removeprefix("bella_") in wanted]

    outcomes = [run_one(m, args.timeout) for m in modules]
    print("\n== summary", flush=True)
    for o in outcomes:
        detail = f"{o.seconds:6.1f}s" if o.status != "missing" else "      -"
        code = f" (exit {o.code})" if o.status == "failed" else ""
        print(f"  {o.module:<24} {o.status:<8} {detail}{code}")
    return 1 if any(o.status in ("failed", "timeout") for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
