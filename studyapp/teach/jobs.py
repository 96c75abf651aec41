"""The instructor pages' jobs: a document turned into questions, a big file imported, a big
set exported. Each runs on the job queue (studyapp/jobs), so a long document holds no web
worker, survives a worker restart (run again from the start: its draft set and its `done`
are one transaction, so a second run never makes a second set) and can be cancelled.

The document itself is read in a limited child process (studyapp/generation.py). Lock files
(studyapp/jobslots.py) cap how many documents this machine reads at once (GENERATION_JOBS),
whatever runs the jobs here (several job workers, or threads in several web processes); an
instructor may have GENERATION_JOBS_PER_USER documents waiting or being read.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import current_app

from .. import jobs
from ..errors import NotFound
from ..extensions import db
from ..jobslots import Slots
from ..models import QuestionSet, User

UPLOAD_TYPES = {".txt": "text", ".md": "Markdown", ".pdf": "PDF"}
SLOT_WAIT_S = 600  # how long a document waits for one of the machine's slots before it gives up

GENERATE, IMPORT, EXPORT = "teach.generate", "teach.import", "teach.export"


class Busy(Exception):
    """This instructor already has as many documents in progress as allowed."""


# --- starting jobs (what the views call) -----------------------------------------------------

def start_generation(owner: User, filename: str, data: bytes, title: str | None) -> jobs.Job:
    """Queue a document to be turned into a draft set, or raise Busy (nothing queued)."""
    allowed = int(current_app.config["GENERATION_JOBS_PER_USER"])
    if jobs.unfinished_count(owner.id, GENERATE) >= allowed:
        raise Busy(f"You already have {allowed} document{'s' if allowed != 1 else ''} being "
                   "turned into questions: wait until it is done, then upload the next.")
    return jobs.enqueue(GENERATE, owner_id=owner.id, title=filename, params={"title": title},
                        files=[jobs.Input(filename, "application/octet-stream", data)])


def import_runs_as_job(size: int) -> bool:
    return size > int(current_app.config["IMPORT_INLINE_MAX_KB"]) * 1024


def start_import(owner: User, filename: str, data: bytes, *, fmt: str | None,
                 qset: QuestionSet | None, title: str | None, partial: bool = False) -> jobs.Job:
    return jobs.enqueue(IMPORT, owner_id=owner.id, title=filename,
                        params={"format": fmt, "set_id": qset.id if qset else None,
                                "title": title, "partial": partial},
                        files=[jobs.Input(filename, "application/octet-stream", data)])


def export_runs_as_job(question_count: int) -> bool:
    return question_count > int(current_app.config["EXPORT_INLINE_MAX_QUESTIONS"])


def start_export(owner: User, qset: QuestionSet, fmt: str) -> jobs.Job:
    from ..interchange import FORMATS

    if fmt not in FORMATS:
        raise NotFound(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    return jobs.enqueue(EXPORT, owner_id=owner.id, title=f"{qset.title} ({FORMATS[fmt].label})",
                        params={"set_id": qset.id, "format": fmt})


# --- the jobs -----------------------------------------------------------------------------------

def _review_link(result: dict):
    return "Review the questions", "teach.review", {"set_id": result["set_id"]}


@jobs.job_type(GENERATE, label="Generating questions", failed="Generation failed", link=_review_link, follow=True)
def generate(ctx: jobs.Context) -> jobs.Done:
    from ..generation import DocumentLimits, generate_limited
    from ..qgen import GenerationError
    from .service import save_generated

    upload = ctx.input()
    filename, config = upload.name, ctx.app.config
    workdir = Path(tempfile.mkdtemp(prefix="studyapp-upload-"))
    try:
        # The generator names sources after their files: keep the upload's own name.
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(filename).name)
        path = workdir / (safe or "upload.txt")
        path.write_bytes(upload.data)
        db.session.expunge(upload)
        db.session.rollback()  # no read transaction held open while the document is read
        machine = Slots(Path(ctx.app.instance_path) / "job-slots", "generation",
                        int(config["GENERATION_JOBS"]))
        slot = machine.try_acquire()
        if slot is None:
            ctx.progress(0.05, f"Waiting for a free slot: the server reads {machine.count} "
                               "document(s) at a time…")
            slot = _wait_for_slot(ctx, machine, filename)
        with slot:
            ctx.progress(0.1, f"Reading {filename} and writing questions…")
            try:
                result = generate_limited([path], DocumentLimits.from_config(config),
                                          names={path: filename}, cancel=ctx.cancel,
                                          title=ctx.params.get("title") or None)
            except GenerationError as exc:
                raise jobs.JobFailed(f"No questions could be made: {exc}") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    questions = result.bank.get("questions") or []
    warnings = list(result.report.warnings)
    if not questions:
        raise jobs.JobFailed(f"{filename}: no questions could be made from this document (it "
                             "needs factual sentences: dates, names, figures, places)", warnings)
    ctx.progress(0.9, f"Saving {len(questions)} questions as a draft…")
    qset = save_generated(ctx.owner_id, result.bank, ctx.params.get("title"), filename)
    return jobs.Done(f"{len(questions)} questions generated from {filename}. Review them, then "
                     "publish.", {"set_id": qset.id, "questions": len(questions)}, warnings)


def _wait_for_slot(ctx: jobs.Context, machine: Slots, filename: str):
    for _ in range(int(SLOT_WAIT_S / 0.5)):
        ctx.check()
        slot = machine.acquire(0.5)
        if slot is not None:
            return slot
    raise jobs.JobFailed(f"{filename}: the server stayed busy with other documents for "
                         f"{SLOT_WAIT_S // 60} minutes; upload it again later.")


def _set_link(result: dict):
    return "Open the set", "teach.set_detail", {"set_id": result["set_id"]}


@jobs.job_type(IMPORT, label="Importing", failed="Import failed", link=_set_link, follow=True)
def import_file(ctx: jobs.Context) -> jobs.Done:
    from .. import access
    from .service import TeachError, not_imported_message
    from .service import import_file as import_service

    upload = ctx.input()
    owner = db.session.get(User, ctx.owner_id)
    qset = None
    if ctx.params.get("set_id") is not None:
        try:
            qset = access.set_for_edit_or_404(owner, ctx.params["set_id"])
        except NotFound:
            raise jobs.JobFailed(f"{upload.name} was not imported: the set it was for is gone, "
                                 "or you may no longer edit it.") from None
    ctx.progress(0.2, f"Reading and saving {upload.name}…")
    try:
        outcome = import_service(owner, upload.data, upload.name, fmt=ctx.params.get("format"),
                                 qset=qset, title=ctx.params.get("title"),
                                 partial=bool(ctx.params.get("partial")))
    except TeachError as exc:
        raise jobs.JobFailed(not_imported_message(upload.name, bool(ctx.params.get("partial"))),
                             exc.problems) from exc
    where = (f"the new draft set {outcome.qset.title!r}" if outcome.created_set
             else repr(outcome.qset.title))
    left_out = (f" {len(outcome.left_out)} questions with problems were left out (listed below)."
                if outcome.left_out else "")
    return jobs.Done(f"Imported {upload.name} into {where}: {outcome.result}.{left_out}",
                     {"set_id": outcome.qset.id}, outcome.left_out)


def _download_link(result: dict):
    return f"Download {result['filename']}", "teach.job_download", {"job_id": result["job_id"]}


@jobs.job_type(EXPORT, label="Exporting", failed="Export failed", link=_download_link)
def export_set(ctx: jobs.Context) -> jobs.Done:
    from .. import access
    from .service import export_set as export_service

    owner = db.session.get(User, ctx.owner_id)
    try:
        qset = access.set_for_edit_or_404(owner, ctx.params["set_id"])
    except NotFound:
        raise jobs.JobFailed("Not exported: the set is gone, or you may no longer edit it.") from None
    ctx.progress(0.2, f"Writing {qset.title}…")
    out = export_service(qset, ctx.params["format"])
    ctx.output(out.filename, out.media_type, out.data)
    n = sum(not q.retired for q in qset.questions)
    return jobs.Done(f"{n} questions of {qset.title!r} exported: {out.filename}, ready to download.",
                     {"filename": out.filename, "bytes": len(out.data), "questions": n})
