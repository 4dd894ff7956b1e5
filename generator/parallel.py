"""Worker processes, one way for the whole pipeline (loading records, building editions).

``JIANDI_JOBS`` sets how many (``1`` for one process, as benchmarks' baselines use). Workers are
forked, so they share what the parent already loaded, and they die with the parent, so a
``kill -9`` of a build leaves nothing running that could publish afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import os
import signal
from multiprocessing.pool import Pool


def libc() -> ctypes.CDLL:
    """The C library (for renameat2 and prctl); raises OSError where there is none."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def workers(limit: int) -> int:
    """How many processes to use for ``limit`` independent jobs (1: stay in this process)."""
    if "fork" not in mp.get_all_start_methods():
        return 1
    wanted = int(os.environ.get("JIANDI_JOBS") or os.cpu_count() or 1)
    return max(1, min(wanted, limit))


def _die_with_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (cli)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: no such call
        libc().prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def pool(processes: int) -> Pool:
    """A pool of forked workers that die with this process."""
    return mp.get_context("fork").Pool(processes, initializer=_die_with_parent)
