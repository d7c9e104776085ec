"""The short whole-stack load run for `make bench` (the long one is `make soak`).

    python -m tests.load.bench      # 50 concurrent calls for 30 s, then booking correctness

``main()`` follows the bench convention of bella_core.bench: prints figures, returns an exit
code (non-zero on an error or a wrong booking).
"""

from __future__ import annotations

import os


def main() -> int:
    from .soak import main as soak_main

    seconds = os.environ.get("BELLA_LOAD_BENCH_SECONDS", "30")
    concurrency = os.environ.get("BELLA_LOAD_BENCH_CONCURRENCY", "50")
    try:
        soak_main(["--concurrency", concurrency, "--duration", seconds])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
