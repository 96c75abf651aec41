"""Run one function in a child process with a wall-clock limit and a memory limit.

For work on untrusted input that may take unbounded time or memory (reading an uploaded
PDF: a few kilobytes can inflate to megabytes of text that take pypdf minutes per page).
The child is forked from a forkserver (a clean single-threaded process started once, with
the function's module already imported), so it neither inherits a web worker's threads,
locks and database connections nor pays for the imports again. In the child:

- `resource.setrlimit(RLIMIT_AS)` caps its memory: an allocation past it raises MemoryError;
- `RLIMIT_CPU` a little above the wall-clock limit kills it even if its parent died;
- it runs at a lower priority (`nice`), so requests served meanwhile keep their CPU;
- it ends when the process that started it exits (a restarted web worker leaves no reader
  running): it waits on a pipe whose other end only the parent holds.

The parent waits at most `seconds`, then kills the child (SIGKILL). Results and exceptions
come back pickled, so the function, its arguments and its result must be picklable (a
module-level function: what a job queue such as RQ needs as well).

    result = sandbox.run(count_words, path, limits=Limits(seconds=60, memory_mb=1024))
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import resource
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int | None = None
    nice: int = 10  # added to the child's niceness: 19 is the lowest priority


class LimitExceeded(Exception):
    """The child was stopped by a limit; the message says which, in words for a user."""


class TimedOut(LimitExceeded):
    pass


class OutOfMemory(LimitExceeded):
    pass


class Cancelled(Exception):
    """The caller asked for the work to stop (a job's owner cancelled it); the child was killed."""


class ChildDied(LimitExceeded):
    """The child ended without a result (killed by a signal, or a crash in C code)."""


class ChildError(Exception):
    """The function raised an exception that could not be sent back as itself."""


_context_lock = threading.Lock()
_preloaded: set[str] = set()


def _context(module: str):
    """The forkserver context, preloading the function's module before the server starts
    (modules named after it has started are imported by each child instead)."""
    ctx = multiprocessing.get_context("forkserver")
    with _context_lock:
        if module not in _preloaded:
            _preloaded.add(module)
            ctx.set_forkserver_preload(sorted(_preloaded))
    return ctx


CANCEL_POLL_S = 0.2


def run(func, *args, limits: Limits, cancel: threading.Event | None = None, **kwargs):
    """func(*args, **kwargs) in a limited child process: its result, or its exception
    re-raised here, or a LimitExceeded subclass. When `cancel` is set the child is killed
    at once and Cancelled raised."""
    ctx = _context(func.__module__)
    receiver, sender = ctx.Pipe(duplex=False)
    lifeline, held = ctx.Pipe(duplex=False)  # we hold `held`; the child waits on `lifeline`
    child = ctx.Process(target=_child_main, args=(sender, lifeline, limits, func, args, kwargs),
                        name=f"sandbox-{getattr(func, '__name__', 'task')}", daemon=True)
    child.start()
    sender.close()  # the child has its own copies; ours must go so that EOF can be seen
    lifeline.close()
    try:
        if not _wait_for_result(receiver, limits.seconds, cancel):
            raise TimedOut(f"took longer than {limits.seconds:g} seconds, the limit")
        try:
            status, payload = receiver.recv()
        except EOFError:
            child.join(5)
            raise ChildDied(_death(child.exitcode, limits)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
        held.close()
    if status == "ok":
        return payload
    if status == "memory":
        raise OutOfMemory(f"needed more than {limits.memory_mb} MB of memory, the limit")
    raise payload


def _wait_for_result(receiver, seconds: float, cancel: threading.Event | None) -> bool:
    """True once the child has answered (or died), False after `seconds`; raises Cancelled
    as soon as `cancel` is set."""
    if cancel is None:
        return receiver.poll(seconds)
    deadline = time.monotonic() + seconds
    while True:
        if cancel.is_set():
            raise Cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if receiver.poll(min(CANCEL_POLL_S, left)):
            return True


def _death(exitcode: int | None, limits: Limits) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        if -exitcode in (signal.SIGXCPU, signal.SIGKILL):
            return f"was stopped after using its {limits.seconds:g} seconds"
        return f"stopped unexpectedly ({signal.Signals(-exitcode).name})"
    return f"stopped unexpectedly (exit code {exitcode})"


def _exit_when_parent_exits(lifeline) -> None:
    """In the child: end at once when the parent's end of `lifeline` closes, which the kernel
    does when the parent exits, however it exits (a restarted or killed web worker)."""
    def watch():
        with contextlib.suppress(EOFError, OSError):  # EOF is the message: the parent is gone
            lifeline.recv_bytes()
        os._exit(70)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _child_main(conn, lifeline, limits: Limits, func, args, kwargs) -> None:
    try:
        _exit_when_parent_exits(lifeline)
        if limits.memory_mb:
            cap = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = math.ceil(limits.seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        if limits.nice:
            os.nice(limits.nice)
        result = func(*args, **kwargs)
    except MemoryError:
        result, status = None, "memory"
    except BaseException as exc:  # every failure goes back to the parent, none is lost
        result, status = exc, "error"
    else:
        status = "ok"
    try:
        conn.send((status, result))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # an unpicklable exception or result: send what can be said
        what = result if status == "error" else exc
        conn.send(("error", ChildError(f"{type(what).__name__}: {what}")))
    finally:
        conn.close()
