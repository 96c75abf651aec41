"""Caps on concurrent jobs for the whole machine: numbered lock files, one held per job.

Every gunicorn worker of one machine sees the same files, and the kernel releases a lock
when its holder closes it or dies, so a crashed worker never leaks a slot (flock(2): locks
belong to the open file, and two opens of one file conflict even inside one process).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class Slot:
    def __init__(self, fd: int):
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class Slots:
    """`count` slots named `name` in `directory`."""

    def __init__(self, directory: Path, name: str, count: int):
        self.directory, self.name, self.count = Path(directory), name, max(0, count)

    def try_acquire(self) -> Slot | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for i in range(self.count):
            fd = os.open(self.directory / f"{self.name}-{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return Slot(fd)
        return None

    def acquire(self, timeout: float, poll: float = 0.25) -> Slot | None:
        """Wait up to `timeout` seconds for a free slot; None if none came free."""
        deadline = time.monotonic() + timeout
        while True:
            slot = self.try_acquire()
            if slot is not None or time.monotonic() >= deadline:
                return slot
            time.sleep(poll)
