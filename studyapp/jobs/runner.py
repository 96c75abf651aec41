"""One run of one job, whichever backend delivered it: claim the job, keep its heartbeat,
call its function with a Context, and record how it ended.

The job's own writes and its `done` are one transaction (the service calls inside it do
not commit on their own: unit_of_work.py), so a generation retried after a crash cannot
make a second draft set, and a cancel that arrives while the work is being saved rolls
the work back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

from flask import Flask

from ..extensions import db
from ..sandbox import Cancelled
from ..unit_of_work import commits
from . import registry, store
from .registry import Done, JobFailed

log = logging.getLogger(__name__)

CANCEL_CHECK_S = 0.5  # how often a run looks for its owner's cancel


class Context:
    """What a job's function gets: its parameters and input, progress reports, and a cancel
    flag that also stops the limited child process (sandbox.run's `cancel`)."""

    def __init__(self, app: Flask, job_id: str, attempt: int, owner_id: int | None, title: str,
                 params: dict, shutdown: threading.Event):
        self.app, self.job_id, self.attempt = app, job_id, attempt
        self.owner_id, self.title, self.params = owner_id, title, params
        # Set when the owner cancels, the run is lost, or the process shuts down: what the
        # work checks, and what stops its limited child process.
        self.cancel = threading.Event()
        self.shutdown = shutdown  # set when this process stops: the job goes back to the queue
        self.lost = False

    @property
    def stopping(self) -> bool:
        return self.cancel.is_set() or self.shutdown.is_set()

    def check(self) -> None:
        """Raise Cancelled if the job is to stop here (call between steps)."""
        if self.stopping:
            raise Cancelled()

    def progress(self, fraction: float | None, message: str) -> None:
        """Shown on the status page. Call it between steps, not inside the job's writes:
        it commits in a session of its own."""
        self.check()
        with self.app.app_context():
            store.report(self.job_id, self.attempt, fraction, message)
            db.session.remove()

    def input(self):
        """The job's input file (name, media_type, data), or None."""
        return store.file(self.job_id, "input")

    def output(self, name: str, media_type: str, data: bytes) -> None:
        """The job's output file, saved with its `done`."""
        store.add_file(self.job_id, "output", name, media_type, data)


class _Heartbeat(threading.Thread):
    """Beats every third of the lease (so the job is not taken for abandoned), and looks for
    the owner's cancel between beats."""

    def __init__(self, ctx: Context, lease_s: float):
        super().__init__(name=f"job-heartbeat-{ctx.job_id}", daemon=True)
        self.ctx, self.every = ctx, max(0.2, lease_s / 3)
        self.done = threading.Event()

    def run(self) -> None:
        waited = self.every  # beat at once
        while not self.done.is_set():
            if self.ctx.shutdown.is_set():
                self.ctx.cancel.set()  # stops the work (and its child) to hand the job back
            if waited >= self.every:
                waited = 0.0
                try:
                    with self.ctx.app.app_context():
                        ours, cancel = store.beat(self.ctx.job_id, self.ctx.attempt)
                        db.session.remove()
                except Exception:  # the database busy or away for a moment: beat again later
                    log.warning("job %s: heartbeat failed", self.ctx.job_id, exc_info=True)
                else:
                    if not ours:
                        self.ctx.lost = True
                    if cancel or not ours:
                        self.ctx.cancel.set()
            self.done.wait(CANCEL_CHECK_S)
            waited += CANCEL_CHECK_S

    def stop(self) -> None:
        self.done.set()
        self.join(5)


def execute(app: Flask, job_id: str, shutdown: threading.Event | None = None) -> str | None:
    """Run job `job_id` if it is queued; its final state ('done', 'failed', 'cancelled',
    'queued' when given back on shutdown), or None when it was not this run's to do."""
    shutdown = shutdown or threading.Event()
    with app.app_context():
        try:
            job = store.claim(job_id)
            if job is None:
                return None
            try:
                jt = registry.get(job.kind)
            except LookupError as exc:  # queued by a newer (or older) version of the app
                store.end(job.id, job.attempts, "failed", str(exc), error=str(exc))
                return "failed"
            ctx = Context(app, job.id, job.attempts, job.owner_id, job.title, dict(job.params),
                          shutdown)
            db.session.expunge(job)
        finally:
            db.session.remove()
        heartbeat = _Heartbeat(ctx, float(app.config["JOBS_LEASE_SECONDS"]))
        heartbeat.start()
        try:
            return _run(jt, ctx)
        finally:
            heartbeat.stop()
            db.session.remove()


def _run(jt: registry.JobType, ctx: Context) -> str | None:
    try:
        _work_and_done(jt, ctx)
        return "done"
    except (Cancelled, store.Lost):
        db.session.rollback()
        if ctx.shutdown.is_set() and store.release(ctx.job_id, ctx.attempt):
            return "queued"
        if store.end(ctx.job_id, ctx.attempt, "cancelled", "Cancelled: nothing was saved."):
            return "cancelled"
        return None  # lost to another run, which decides
    except JobFailed as exc:
        db.session.rollback()
        store.end(ctx.job_id, ctx.attempt, "failed", str(exc), error=str(exc), details=exc.details)
        return "failed"
    except Exception as exc:  # a bug must show on the status page, not fail silently
        log.exception("job %s (%s) failed", ctx.job_id, jt.name)
        db.session.rollback()
        message = f"{ctx.title}: {jt.label.lower()} failed ({exc.__class__.__name__})"
        store.end(ctx.job_id, ctx.attempt, "failed", message, error=message)
        return "failed"
    except BaseException:  # the worker is stopping (SystemExit, KeyboardInterrupt): hand it back
        with contextlib.suppress(Exception):
            db.session.rollback()
            store.release(ctx.job_id, ctx.attempt)
        raise


@commits
def _work_and_done(jt: registry.JobType, ctx: Context) -> None:
    done = jt.run(ctx)
    if not isinstance(done, Done):
        raise TypeError(f"job type {jt.name} returned {type(done).__name__}, not Done")
    ctx.check()
    store.mark_done(ctx.job_id, ctx.attempt, done.message, done.result, list(done.details))


# --- the entry point a queue worker calls ---------------------------------------------------

_app: Flask | None = None
_app_pid: int | None = None


def worker_app() -> Flask:
    """This process's app (built from the environment on first use, again after a fork)."""
    global _app, _app_pid
    if _app is None or _app_pid != os.getpid():
        from .. import create_app

        _app, _app_pid = create_app(), os.getpid()
    return _app


def run_delivered(job_id: str) -> str | None:
    """What an RQ worker runs for each message: the job, if it is still queued."""
    return execute(worker_app(), job_id)
