"""sandbox.run: a child process that gives back results and errors, and is stopped by its
wall-clock and memory limits."""

from __future__ import annotations

import os
import resource
import signal
import time

import pytest

from studyapp import sandbox

QUICK = sandbox.Limits(seconds=20, memory_mb=512)


def add(a, b=0):
    return a + b


def own_limits():
    return {"memory": resource.getrlimit(resource.RLIMIT_AS)[0], "nice": os.nice(0),
            "pid": os.getpid()}


def sleep_forever():
    while True:
        time.sleep(1)


def spin_forever():
    while True:
        pass


def hoard_memory():
    chunks = []
    while True:
        chunks.append(bytearray(64 * 1024 * 1024))


def fail(message):
    raise ValueError(message)


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no pickling")


def fail_unpicklably():
    raise Unpicklable("a strange failure")


def crash():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_result_and_arguments_come_back():
    assert sandbox.run(add, 2, b=3, limits=QUICK) == 5


def test_child_runs_with_its_limits_in_another_process():
    seen = sandbox.run(own_limits, limits=sandbox.Limits(seconds=20, memory_mb=700, nice=5))
    assert seen["pid"] != os.getpid()
    assert seen["memory"] == 700 * 1024 * 1024
    assert seen["nice"] >= os.nice(0) + 5


@pytest.mark.parametrize("func", [sleep_forever, spin_forever])
def test_wall_clock_limit_stops_the_child(func):
    start = time.monotonic()
    with pytest.raises(sandbox.TimedOut, match="took longer than 1.5 seconds"):
        sandbox.run(func, limits=sandbox.Limits(seconds=1.5))
    assert time.monotonic() - start < 15  # stopped, not waited for


def test_memory_limit_stops_the_child():
    with pytest.raises(sandbox.OutOfMemory, match="more than 400 MB"):
        sandbox.run(hoard_memory, limits=sandbox.Limits(seconds=30, memory_mb=400))


def test_exceptions_come_back_as_themselves_or_as_text():
    with pytest.raises(ValueError, match="bad input"):
        sandbox.run(fail, "bad input", limits=QUICK)
    with pytest.raises(sandbox.ChildError, match="Unpicklable: a strange failure"):
        sandbox.run(fail_unpicklably, limits=QUICK)


def test_a_crash_is_reported():
    with pytest.raises(sandbox.ChildDied, match="SIGSEGV"):
        sandbox.run(crash, limits=QUICK)


def write_pid_and_wait(path):
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    sleep_forever()


ORPHAN_SCRIPT = """
import sys, threading, time, os
sys.path.insert(0, {root!r})
from studyapp import sandbox
from tests.unit.test_sandbox import write_pid_and_wait
threading.Thread(target=sandbox.run, args=(write_pid_and_wait, {path!r}),
                 kwargs={{"limits": sandbox.Limits(seconds=300)}}, daemon=True).start()
while not os.path.exists({path!r}) or not open({path!r}).read():
    time.sleep(0.05)
os._exit(0)  # the web worker dies with a document still being read
"""


def test_the_child_does_not_outlive_the_process_that_started_it(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    pid_file = tmp_path / "child.pid"
    root = str(Path(__file__).resolve().parents[2])
    subprocess.run([sys.executable, "-c", ORPHAN_SCRIPT.format(root=root, path=str(pid_file))],
                   check=True, timeout=60)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            return  # ended, waiting only to be reaped by init
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)  # our own child: do not leave it behind
    pytest.fail("the reader outlived its parent")
