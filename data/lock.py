"""The one file lock: an ``flock`` on a file that names its holder.

The store's write lock, the scheduler's one-per-store lock and the ledger's
append lock are all this. The holder writes a small JSON note (pid, host,
since, and whatever the caller adds) into the lock file after taking the
lock, so a process that finds it busy can say who holds it; only the holder
clears the note. ``flock`` is released by the kernel when the process dies,
so a crash never leaves a stale lock behind (a stale note is harmless: it is
only read when the lock is busy).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: How often a waiting process tries the lock again.
POLL_SECONDS = 0.1


class LockBusy(Exception):
    """The lock is held by another process; ``holder`` is its note (may be empty)."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        super().__init__(f"{path} is locked{holder_text(holder)}")
        self.path = path
        self.holder = holder


@contextmanager
def file_lock(path: Path, *, wait: float | None = None, note: dict[str, Any] | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing).

    ``wait=None`` blocks until the lock is free; otherwise :class:`LockBusy`
    is raised when it is still taken after ``wait`` seconds (0: try once).
    With ``note``, the holder's note (``pid``, ``host``, ``since`` plus
    ``note``) is written into the file while the lock is held.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    held = False
    try:
        if wait is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                        raise
                    if time.monotonic() >= deadline:
                        raise LockBusy(path, read_holder(path)) from None
                    time.sleep(POLL_SECONDS)
        held = True
        if note is not None:
            info = {"pid": os.getpid(), "host": socket.gethostname(),
                    "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **note}
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(info).encode(), 0)
            except OSError as exc:  # the note is only for a process that finds the lock busy:
                if exc.errno not in (errno.ENOSPC, errno.EDQUOT):  # a full disk must not stop the holder
                    raise
        yield
    finally:
        try:
            if held and note is not None:  # only the holder may clear the holder's note
                os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing releases the flock


def read_holder(path: Path) -> dict[str, Any]:
    """The note of the lock's holder, without taking the lock ({} when none)."""
    try:
        info = json.loads(path.read_bytes() or b"{}")
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def holder_text(info: dict[str, Any]) -> str:
    """`` (pid 12 on host since ..., purpose)`` for messages; "" without a note."""
    if not info:
        return ""
    purpose = f", {info['purpose']}" if info.get("purpose") else ""
    return f" (pid {info.get('pid')} on {info.get('host')} since {info.get('since')}{purpose})"
