"""One stack per test process, shared by the fault, abuse and privacy tests.

Starting the four services with their own PostgreSQL and Redis costs tens of
seconds on a busy 2-core machine, so every issue-8 test module in a pytest
process uses the same one. It has everything any of them needs: its own
restartable PostgreSQL and Redis, latency proxies between voice and its gRPC
peers, and a telemetry sink. A test that injects a fault leaves the stack
healthy again (each ends by waiting for a booking to go through).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from .harness import Running, launch

_lock = asyncio.Lock()
_users = 0
_running: Running | None = None
_exit: contextlib.AsyncExitStack | None = None
_workdir: Path | None = None


@contextlib.asynccontextmanager
async def shared_stack() -> AsyncIterator[Running]:
    global _users, _running, _exit, _workdir
    async with _lock:
        if _running is None:
            _exit = contextlib.AsyncExitStack()
            _workdir = Path(tempfile.mkdtemp(prefix="bella-issue8-"))
            _running = await _exit.enter_async_context(
                launch(_workdir, proxies=True, telemetry_sink=True,
                       extra_env={"BELLA_LOG_LEVEL": "DEBUG"})  # the privacy scan reads it all
            )
        _users += 1
    try:
        yield _running
    finally:
        async with _lock:
            _users -= 1
            if _users == 0 and _exit is not None:
                exit_stack, _exit, _running = _exit, None, None
                await exit_stack.aclose()
                # The services' logs go too, unless asked to keep them for a post-mortem.
                if _workdir is not None and not os.environ.get("BELLA_KEEP_STACK_LOGS"):
                    shutil.rmtree(_workdir, ignore_errors=True)
