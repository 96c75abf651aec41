"""Every rule about job rows: creating one, the one run that may work on it at a time,
heartbeats, the end states, and taking up the jobs of a worker that died.

A run owns a job while the row says `running` with its attempt number; every write a run
makes is conditional on that (compare-and-set), so a run that lost its job (its worker was
thought dead and the job was given to another) can change nothing, and a job's work and
its `done` are committed in one transaction: a crash leaves both or neither.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import UNFINISHED_JOB_STATES, Job, JobFile, utcnow

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


class Lost(Exception):
    """This run no longer owns its job: it was cancelled, or given to another worker."""


def create(kind: str, *, owner_id: int | None, title: str, params: dict, max_attempts: int,
           key: str | None = None, files: tuple = ()) -> tuple[Job, bool]:
    """A queued job (committed), with its input files. With `key`, an unfinished job with the
    same key is returned instead of a new one: (job, created)."""
    if key is not None:
        found = unfinished_with_key(key)
        if found is not None:
            return found, False
    job = Job(id=secrets.token_urlsafe(12), kind=kind, owner_id=owner_id, title=title[:300],
              params=params, key=key, max_attempts=max_attempts, message="Waiting to start…")
    db.session.add(job)
    for role, name, media_type, data in files:
        db.session.add(JobFile(job_id=job.id, role=role, name=name[:255], media_type=media_type,
                               data=data))
    try:
        db.session.commit()
    except IntegrityError:  # the same key, enqueued at the same moment elsewhere
        db.session.rollback()
        found = unfinished_with_key(key) if key is not None else None
        if found is None:
            raise
        return found, False
    return job, True


def unfinished_with_key(key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.key == key,
                                               Job.state.in_(UNFINISHED_JOB_STATES)))


def unfinished_count(owner_id: int, kind: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Job).where(
        Job.owner_id == owner_id, Job.kind == kind, Job.state.in_(UNFINISHED_JOB_STATES)))


def any_unfinished() -> bool:
    return bool(db.session.scalar(select(exists().where(Job.state.in_(UNFINISHED_JOB_STATES)))))


def next_queued(limit: int = 10) -> list[str]:
    return list(db.session.scalars(select(Job.id).where(Job.state == "queued")
                                   .order_by(Job.created_at, Job.id).limit(limit)))


def claim(job_id: str) -> Job | None:
    """Start a run of a queued job: its state, attempt and heartbeat, committed. None if it
    is not queued (done, cancelled, or already taken by another worker)."""
    now = utcnow()
    taken = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == "queued")
        .values(state="running", attempts=Job.attempts + 1, heartbeat_at=now, worker=WORKER_NAME,
                started_at=func.coalesce(Job.started_at, now))
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(Job, job_id, populate_existing=True) if taken else None


def _mine(job_id: str, attempt: int):
    return (Job.id == job_id, Job.state == "running", Job.attempts == attempt)


def beat(job_id: str, attempt: int) -> tuple[bool, bool]:
    """The heartbeat of a run: (still ours, cancel asked for). Commits."""
    ours = db.session.execute(update(Job).where(*_mine(job_id, attempt))
                              .values(heartbeat_at=utcnow())
                              .execution_options(synchronize_session=False)).rowcount == 1
    cancel = bool(db.session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))
    db.session.commit()
    return ours, cancel


def report(job_id: str, attempt: int, progress: float | None, message: str) -> None:
    db.session.execute(update(Job).where(*_mine(job_id, attempt))
                       .values(progress=progress, message=message[:2000])
                       .execution_options(synchronize_session=False))
    db.session.commit()


def mark_done(job_id: str, attempt: int, message: str, result: dict, details: list[str]) -> None:
    """In the transaction that holds the job's work (the caller commits both): raises Lost,
    so that the work is rolled back, if the job was cancelled or is no longer this run's."""
    done = db.session.execute(
        update(Job).where(*_mine(job_id, attempt), Job.cancel_requested.is_(False))
        .values(state="done", progress=1.0, message=message, result=result, details=details,
                finished_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise Lost(job_id)


def end(job_id: str, attempt: int | None, state: str, message: str, *, error: str | None = None,
        details: list[str] | None = None) -> bool:
    """failed or cancelled, if the job is (still) this run's (`attempt`), or queued
    (`attempt` None). Commits; False if it was not."""
    where = (_mine(job_id, attempt) if attempt is not None
             else (Job.id == job_id, Job.state == "queued"))
    values = {"state": state, "message": message, "error": error, "finished_at": utcnow(),
              "key": None}
    if details is not None:
        values["details"] = details
    changed = db.session.execute(update(Job).where(*where).values(**values)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed == 1


def release(job_id: str, attempt: int) -> bool:
    """A run stopped by its worker's shutdown: the job goes back to the queue, this attempt
    not counted. Commits; True if it was released."""
    changed = db.session.execute(
        update(Job).where(*_mine(job_id, attempt))
        .values(state="queued", attempts=Job.attempts - 1, progress=None,
                message="Waiting to start again (the worker running it was stopped)…")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed == 1


def request_cancel(job: Job) -> str:
    """The owner's cancel: a queued job ends now ('cancelled'); a running one is told
    ('cancelling': its run stops at its next check, within a second or so); a finished one
    stays as it is ('finished'). Commits."""
    if end(job.id, None, "cancelled", "Cancelled before it started."):
        outcome = "cancelled"
    else:
        flagged = db.session.execute(
            update(Job).where(Job.id == job.id, Job.state == "running")
            .values(cancel_requested=True, message="Cancelling…")
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        outcome = "cancelling" if flagged else "finished"
    db.session.refresh(job)
    return outcome


def recover_abandoned(lease_s: float) -> list[str]:
    """Running jobs whose heartbeat stopped more than `lease_s` ago (their worker died) go back
    to the queue, or fail once they have used every attempt. Returns the ids queued again."""
    stale = utcnow() - timedelta(seconds=lease_s)
    found = list(db.session.execute(select(Job.id, Job.attempts, Job.max_attempts).where(
        Job.state == "running", Job.heartbeat_at < stale)))
    requeued = []
    for job_id, attempts, max_attempts in found:
        where = (Job.id == job_id, Job.state == "running", Job.attempts == attempts,
                 Job.heartbeat_at < stale)
        if attempts >= max_attempts:
            message = (f"Stopped: the worker running it stopped {attempts} times (restarted or "
                       "out of memory); it was not tried again.")
            values = {"state": "failed", "message": message, "error": message,
                      "finished_at": utcnow()}
        else:
            values = {"state": "queued", "progress": None,
                      "message": "Waiting to start again (the worker running it stopped)…"}
        changed = db.session.execute(update(Job).where(*where).values(**values)
                                     .execution_options(synchronize_session=False)).rowcount
        if changed and values["state"] == "queued":
            requeued.append(job_id)
    db.session.commit()
    return requeued


def prune(keep_days: int) -> int:
    """Delete finished jobs (and their files) older than `keep_days`. Commits."""
    old = utcnow() - timedelta(days=keep_days)
    ids = select(Job.id).where(Job.state.not_in(UNFINISHED_JOB_STATES), Job.finished_at < old)
    db.session.execute(delete(JobFile).where(JobFile.job_id.in_(ids)))
    n = db.session.execute(delete(Job).where(Job.state.not_in(UNFINISHED_JOB_STATES),
                                             Job.finished_at < old)).rowcount
    db.session.commit()
    return n


def file(job_id: str, role: str) -> JobFile | None:
    return db.session.scalar(select(JobFile).where(JobFile.job_id == job_id, JobFile.role == role))


def add_file(job_id: str, role: str, name: str, media_type: str, data: bytes) -> None:
    """In the caller's transaction (an export's output is committed with its `done`)."""
    db.session.add(JobFile(job_id=job_id, role=role, name=name[:255], media_type=media_type,
                           data=data))
