"""How a queued job reaches a process that runs it.

- `rq`: the job's id goes to an RQ queue in Redis; `studyapp worker` processes (which
  `make serve` starts) take it. Web workers only enqueue.
- `inprocess` (no Redis: `make run`, the default install): a few threads inside the web
  process take queued jobs from the database. With several web processes every one of them
  does, and each job still runs once (store.claim).

Either way the job's state is in the database, so any web worker serves its status page;
and either way a job whose worker died is queued again once its lease runs out
(store.recover_abandoned), by whichever worker looks next.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from ..extensions import db
from . import runner, store

log = logging.getLogger(__name__)

POLL_S = 1.0  # how often idle in-process workers look for jobs queued by other processes
PRUNE_EVERY_S = 3600


def backend_name(config) -> str:
    name = (config.get("JOBS_BACKEND") or ("rq" if config.get("REDIS_URL") else "inprocess"))
    if name not in ("rq", "inprocess"):
        raise ValueError(f"JOBS_BACKEND={name!r}: use rq or inprocess")
    if name == "rq" and not config.get("REDIS_URL"):
        raise ValueError("JOBS_BACKEND=rq needs REDIS_URL (redis://host:6379/0)")
    return name


class Maintenance:
    """Queue again the jobs of workers that died, and delete old finished jobs: run now and
    then by every worker (cheap; the updates are conditional, so two at once do no harm)."""

    def __init__(self, app: Flask):
        self.app = app
        self.lease_s = float(app.config["JOBS_LEASE_SECONDS"])
        self.next_check = 0.0
        self.next_prune = 0.0

    def due(self) -> bool:
        return time.monotonic() >= self.next_check

    def run(self) -> list[str]:
        """The ids queued again (for a backend that has to deliver them)."""
        now = time.monotonic()
        self.next_check = now + self.lease_s / 2
        with self.app.app_context():
            try:
                requeued = store.recover_abandoned(self.lease_s)
                if now >= self.next_prune:
                    self.next_prune = now + PRUNE_EVERY_S
                    store.prune(int(self.app.config["JOBS_KEEP_DAYS"]))
                return requeued
            finally:
                db.session.remove()


class InProcess:
    name = "inprocess"

    def __init__(self, app: Flask):
        self.app = app
        self.size = max(1, int(app.config["JOB_WORKERS"]))
        self.maintenance = Maintenance(app)
        self.wake = threading.Event()
        self.shutdown = threading.Event()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def deliver(self, job_id: str, timeout_s: int) -> None:
        self.wake.set()  # before start(): a thread about to end sees it and stays
        self.start()

    def start(self) -> None:
        """Make sure the worker threads run (they stop by themselves when no job is left)."""
        with self.lock:
            if self.shutdown.is_set():
                return
            self.threads = [t for t in self.threads if t.is_alive()]
            for _ in range(self.size - len(self.threads)):
                t = threading.Thread(target=self._loop, name="job-worker", daemon=True)
                self.threads.append(t)
                t.start()

    def stop(self, timeout: float = 10) -> None:
        """Stop the threads; a job they were running goes back to the queue."""
        self.shutdown.set()
        self.wake.set()
        for t in list(self.threads):
            t.join(timeout)

    def _loop(self) -> None:
        while not self.shutdown.is_set():
            try:
                if self.maintenance.due():
                    self.maintenance.run()
                if self._run_one():
                    continue
                with self.app.app_context():
                    try:
                        busy = store.any_unfinished()
                    finally:
                        db.session.remove()
                if not busy:  # nothing queued or running anywhere: this thread ends
                    with self.lock:
                        if self.wake.is_set():
                            self.wake.clear()
                            continue
                        self.threads.remove(threading.current_thread())
                    return
            except Exception:  # the database away for a moment: try again, never die silently
                log.exception("in-process job worker")
            self.wake.wait(POLL_S)
            self.wake.clear()

    def _run_one(self) -> bool:
        with self.app.app_context():
            try:
                candidates = store.next_queued()
            finally:
                db.session.remove()
        for job_id in candidates:
            if runner.execute(self.app, job_id, self.shutdown) is not None:
                return True
        return False


class RQ:
    name = "rq"

    def __init__(self, app: Flask):
        self.app = app
        self.url = app.config["REDIS_URL"]
        self.queue_name = app.config["JOBS_QUEUE"]
        self._queue = None

    @property
    def queue(self):
        if self._queue is None:
            from redis import Redis
            from rq import Queue

            self._queue = Queue(self.queue_name, connection=Redis.from_url(self.url))
        return self._queue

    def deliver(self, job_id: str, timeout_s: int) -> None:
        # Only the id travels: the job itself is in the database. RQ keeps nothing after the
        # run (result_ttl=0); failures stay a day for an operator's `rq info`.
        self.queue.enqueue(runner.run_delivered, job_id, job_timeout=timeout_s, result_ttl=0,
                           failure_ttl=86400, description=f"studyapp job {job_id}")

    def start(self) -> None:
        pass  # `studyapp worker` runs the jobs

    def stop(self, timeout: float = 10) -> None:
        if self._queue is not None:
            self._queue.connection.close()
            self._queue = None


def create(app: Flask):
    return RQ(app) if backend_name(app.config) == "rq" else InProcess(app)
