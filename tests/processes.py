"""Waiting for a process to be gone, for the tests that stop or kill one."""

from __future__ import annotations

import time

import psutil


def gone_within(pid: int, seconds: float) -> bool:
    """A signalled process takes a moment to die: poll rather than look once. A zombie
    (dead, not yet reaped by its parent) counts as gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False
