"""Child processes that cannot outlive their parent.

Each child gets its own process group (so a terminal's Ctrl-C reaches only the
parent, which then stops the children in the order it chooses, and a stop
signal reaches the child's own children too) and ``PR_SET_PDEATHSIG`` (so a
parent killed with SIGKILL, which runs no clean-up, still takes its children
down). Used by the ``make run`` supervisor and the prestart.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1

_libc: Any = None


def _child_preexec(parent_pid: int) -> Callable[[], None]:
    """Runs in the forked child before exec: die with the parent."""
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        # Loaded before fork: dlopen is not safe between fork and exec.
        _libc = ctypes.CDLL(None, use_errno=True)
    libc = _libc

    def setup() -> None:
        if libc is not None:
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        # The parent may have died between fork and prctl: then nobody would signal us.
        if os.getppid() != parent_pid:
            os._exit(1)

    return setup


async def spawn(
    argv: Sequence[str], env: Mapping[str, str], *, cwd: Path | None = None
) -> asyncio.subprocess.Process:
    """Start a child in its own process group that dies when this process dies.

    stdout and stderr are one pipe (``proc.stdout``); stdin is /dev/null.
    """
    return await asyncio.create_subprocess_exec(
        *argv,
        env=dict(env),
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_child_preexec(os.getpid()),
    )


async def terminate(proc: asyncio.subprocess.Process, grace: float) -> int | None:
    """SIGTERM the child's process group, SIGKILL it after ``grace`` seconds."""
    if proc.returncode is not None:
        killpg(proc.pid, signal.SIGKILL)  # stray grandchildren, if any
        return proc.returncode
    killpg(proc.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
    killpg(proc.pid, signal.SIGKILL)
    return proc.returncode


def killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
