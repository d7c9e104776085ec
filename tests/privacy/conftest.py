"""The shared issue-8 stack (tests/load/shared.py) as a session fixture."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.load.harness import Running  # noqa: E402
from tests.load.shared import shared_stack  # noqa: E402


@pytest.fixture(scope="session")
async def bella() -> AsyncIterator[Running]:
    async with shared_stack() as running:
        yield running
