"""The job queue: work that outlives a web request, with its state in the database.

    @jobs.job_type("teach.generate", label="Generating questions", ...)   # registry.py
    def generate(ctx: jobs.Context) -> jobs.Done: ...

    job = jobs.enqueue("teach.generate", owner_id=user.id, title="apollo.txt",
                       params={...}, files=[jobs.Input("apollo.txt", "text/plain", data)])
    jobs.status(job)        # what the status page and its JSON show
    jobs.cancel(job)        # the owner's cancel

Backends (backends.py): RQ over Redis when REDIS_URL is set, run by `studyapp worker`;
otherwise threads inside the web process. Runs (runner.py), and every rule about the rows
(store.py), are the same for both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app

from ..extensions import db
from ..models import Job, utcnow
from ..sandbox import Cancelled
from . import backends, store
from .registry import Done, JobFailed, JobType, job_type
from .runner import Context

__all__ = ["Cancelled", "Context", "Done", "Input", "Job", "JobFailed", "JobType", "cancel",
           "enqueue", "init_app", "job_type", "status", "wait"]

EXTENSION = "studyapp.jobs"


@dataclass(frozen=True)
class Input:
    """A file a job reads (an upload), kept with the job in the database."""

    name: str
    media_type: str
    data: bytes


def init_app(app: Flask) -> None:
    backend = backends.create(app)
    app.extensions[EXTENSION] = backend
    if backend.name == "inprocess":
        started = []

        @app.before_request
        def resume_unfinished_jobs():
            """After a restart, this process's first request starts the workers if jobs were
            left queued or running (those of a dead process are taken up after the lease)."""
            if not started:
                started.append(True)
                if store.any_unfinished():
                    backend.start()


def backend(app: Flask | None = None):
    return (app or current_app).extensions[EXTENSION]


def enqueue(kind: str, *, owner_id: int | None, title: str, params: dict | None = None,
            files: list[Input] | tuple = (), key: str | None = None) -> Job:
    """Queue a job of kind `kind` (committed, then delivered). With `key`, an unfinished job
    with the same key is returned instead of a second one."""
    from . import registry

    jt = registry.get(kind)
    job, created = store.create(
        kind, owner_id=owner_id, title=title, params=params or {}, key=key,
        max_attempts=int(current_app.config["JOBS_MAX_ATTEMPTS"]),
        files=[("input", f.name, f.media_type, f.data) for f in files])
    if created:
        try:
            backend().deliver(job.id, jt.timeout_s)
        except Exception as exc:  # Redis unreachable: say so on the job, not a bare 500
            current_app.logger.exception("job %s could not be queued", job.id)
            message = ("The job queue cannot be reached just now (Redis); nothing was started. "
                       "Try again in a minute.")
            store.end(job.id, None, "failed", message, error=message)
            db.session.refresh(job)
            raise QueueUnavailable(message) from exc
    return job


class QueueUnavailable(Exception):
    pass


def cancel(job: Job) -> str:
    """The owner's cancel: 'cancelled' (it had not started), 'cancelling' (it stops at its
    next check) or 'finished' (too late)."""
    return store.request_cancel(job)


def unfinished_count(owner_id: int, kind: str) -> int:
    return store.unfinished_count(owner_id, kind)


def output(job: Job):
    return store.file(job.id, "output")


def status(job: Job) -> dict:
    """The job as the status page and its JSON show it. The result's fields are at the top
    level too (a generation's set_id and questions, as the page always had them)."""
    end = job.finished_at or (utcnow() if job.started_at else None)
    elapsed = (end - (job.started_at or job.created_at)).total_seconds() if end else 0.0
    return {**(job.result or {}), "id": job.id, "kind": job.kind, "title": job.title,
            "state": job.state, "message": job.message, "progress": job.progress,
            "details": list(job.details or [])[:50], "warnings": list(job.details or [])[:20],
            "error": job.error, "attempts": job.attempts, "elapsed_s": round(max(0.0, elapsed), 1),
            "done": job.finished, "cancelling": job.cancel_requested and not job.finished}


def wait(job_id: str, timeout: float = 60, poll: float = 0.05) -> Job:
    """Block until a job has finished (tests and the command line): its row."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job is None or job.finished or time.monotonic() >= deadline:
            return job
        db.session.rollback()  # let the next read see other connections' commits
        time.sleep(poll)
