"""Question generation from an uploaded document, in a background thread.

The job table lives in this process's memory: the status page polls the worker that
started the job (run one web process, or sticky sessions, for uploads of long documents).
The draft set is written to the database only when generation succeeds.

The document itself is read in a limited child process (studyapp/generation.py), and
machine-wide caps (studyapp/jobslots.py) bound how many documents are read at once in all
(GENERATION_JOBS: later uploads wait their turn) and per instructor
(GENERATION_JOBS_PER_USER: a further upload is refused until the first is done).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..jobslots import Slot, Slots

UPLOAD_TYPES = {".txt": "text", ".md": "Markdown", ".pdf": "PDF"}
JOBS_KEPT = 200
QUEUE_WAIT_S = 600  # how long an upload waits for a free slot before it gives up


class Busy(Exception):
    """This instructor already has as many documents in progress as allowed."""


@dataclass
class Job:
    id: str
    owner_id: int
    filename: str
    state: str = "queued"  # queued | reading | generating | saving | done | failed
    message: str = "Waiting to start…"
    set_id: int | None = None
    questions: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def as_dict(self) -> dict:
        elapsed = (self.finished or time.monotonic()) - self.started
        return {"id": self.id, "state": self.state, "message": self.message, "set_id": self.set_id,
                "questions": self.questions, "warnings": self.warnings[:20], "error": self.error,
                "elapsed_s": round(elapsed, 1), "done": self.state in ("done", "failed")}


_jobs: dict[str, Job] = {}
_threads: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def get(job_id: str, owner_id: int) -> Job | None:
    job = _jobs.get(job_id)
    return job if job is not None and job.owner_id == owner_id else None


def _slots(app: Flask, name: str, setting: str) -> Slots:
    return Slots(Path(app.instance_path) / "job-slots", name, int(app.config[setting]))


def start(app: Flask, owner_id: int, filename: str, data: bytes, title: str | None) -> Job:
    """Start a job, or raise Busy (nothing started) if the instructor has enough running."""
    mine = _slots(app, f"user-{owner_id}", "GENERATION_JOBS_PER_USER").try_acquire()
    if mine is None:
        n = int(app.config["GENERATION_JOBS_PER_USER"])
        raise Busy(f"You already have {n} document{'s' if n != 1 else ''} being turned into "
                   "questions: wait until it is done, then upload the next.")
    job = Job(id=secrets.token_urlsafe(12), owner_id=owner_id, filename=filename)
    workdir = Path(tempfile.mkdtemp(prefix="studyapp-upload-"))
    # The generator reads files and names sources after them: keep the upload's own name.
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(filename).name) or "upload.txt"
    path = workdir / safe
    path.write_bytes(data)
    with _lock:
        _jobs[job.id] = job
        for old in list(_jobs)[:-JOBS_KEPT]:
            _jobs.pop(old, None)
            _threads.pop(old, None)
    thread = threading.Thread(target=_run, args=(app, job, path, workdir, title, mine), daemon=True,
                              name=f"generate-{job.id}")
    _threads[job.id] = thread
    thread.start()
    return job


def wait(job_id: str, timeout: float = 60) -> None:
    """Tests and the CLI: block until a job has finished."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)


def _run(app: Flask, job: Job, path: Path, workdir: Path, title: str | None, mine: Slot) -> None:
    from ..extensions import db
    from ..generation import DocumentLimits, generate_limited
    from ..qgen import GenerationError
    from .service import TeachError, save_generated

    machine = _slots(app, "generation", "GENERATION_JOBS")
    try:
        job.message = (f"Waiting for a free slot: the server reads {machine.count} "
                       "document(s) at a time…")
        with machine.acquire(QUEUE_WAIT_S) or _busy(job):
            job.state, job.message = "generating", f"Reading {job.filename} and writing questions…"
            try:
                result = generate_limited([path], DocumentLimits.from_config(app.config),
                                          names={path: job.filename}, title=title or None)
            except GenerationError as exc:
                raise TeachError(f"No questions could be made: {exc}") from exc
        job.warnings = list(result.report.warnings)
        questions = result.bank.get("questions") or []
        if not questions:
            raise TeachError(f"{job.filename}: no questions could be made from this document "
                             "(it needs factual sentences: dates, names, figures, places)")
        job.state, job.message = "saving", f"Saving {len(questions)} questions as a draft…"
        with app.app_context():
            try:
                job.set_id = save_generated(job.owner_id, result.bank, title, job.filename).id
            finally:
                db.session.remove()
        job.questions = len(questions)
        job.state, job.message = "done", f"{len(questions)} questions ready for review."
    except TeachError as exc:
        job.state, job.error, job.message = "failed", str(exc), str(exc)
    except Exception as exc:  # a generator bug must show on the status page, not kill silently
        app.logger.exception("generation job %s failed", job.id)
        job.state, job.error = "failed", f"{job.filename}: generation failed ({exc.__class__.__name__})"
        job.message = job.error
    finally:
        mine.release()
        job.finished = time.monotonic()
        shutil.rmtree(workdir, ignore_errors=True)


def _busy(job: Job):
    from .service import TeachError

    raise TeachError(f"{job.filename}: the server stayed busy with other documents for "
                     f"{QUEUE_WAIT_S // 60} minutes; upload it again later.")
