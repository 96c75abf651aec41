"""Instructor pages. Thin: parse the request, call one service function, render; no
commits here (services commit, see unit_of_work.py).

Access (access.py): anonymous → login; a student → 403; another instructor's set or
class → 404. The join routes are for every logged-in user.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, time
from pathlib import PurePath

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from wtforms import SelectChoice

from .. import access, class_stats, interchange, stats
from .. import jobs as queue
from ..question import QuestionType
from . import bp, jobs, service
from .forms import (
    QUESTION_FORMS,
    TYPE_LABELS,
    AssignForm,
    ClassForm,
    CoOwnerForm,
    GenerateForm,
    ImportForm,
    JoinForm,
    SetForm,
)
from .service import TeachError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def instructor_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def _problems(exc: TeachError, prefix: str) -> None:
    flash(prefix, "error")
    for p in exc.problems[:50]:
        flash(p, "error")
    if len(exc.problems) > 50:
        flash(f"… and {len(exc.problems) - 50} more problems.", "error")


def _read_upload(storage, limit: int) -> bytes | None:
    data = storage.read(limit + 1)
    return None if len(data) > limit else data


# --- home and sets ------------------------------------------------------------------------

@bp.get("/")
@instructor_required
def index():
    qsets = access.editable_sets(current_user)
    classes = service.my_classes(current_user)
    return render_template("teach/index.html", sets=qsets, classes=classes,
                           counts=service.set_question_counts([s.id for s in qsets]),
                           class_counts=class_stats.class_sizes([c.id for c in classes]))


@bp.route("/sets/new", methods=["GET", "POST"])
@instructor_required
def set_new():
    form = SetForm()
    if form.validate_on_submit():
        qset = service.create_set(current_user, form.title.data, form.description.data or "",
                                  is_public=form.is_public.data)
        flash("Set created as a draft: add questions, then publish it.", "success")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    return render_template("teach/set_form.html", form=form, qset=None), (400 if form.errors else 200)


@bp.get("/sets/<int:set_id>")
@instructor_required
def set_detail(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    questions = service.set_questions(qset)
    history = service.questions_with_history([q.id for q in questions])
    return render_template("teach/set_detail.html", qset=qset, questions=questions, history=history,
                           export_as_job=jobs.export_runs_as_job(len(questions)),
                           type_labels=TYPE_LABELS, owners=service.co_owners(qset),
                           owner_form=CoOwnerForm(formdata=None), import_form=ImportForm(formdata=None),
                           is_owner=qset.owner_id == current_user.id)


@bp.route("/sets/<int:set_id>/edit", methods=["GET", "POST"])
@instructor_required
def set_edit(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    form = SetForm(obj=qset)
    if form.validate_on_submit():
        service.update_set(qset, form.title.data, form.description.data or "", form.is_public.data)
        flash("Set saved.", "success")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    return render_template("teach/set_form.html", form=form, qset=qset), (400 if form.errors else 200)


@bp.post("/sets/<int:set_id>/publish")
@instructor_required
def set_publish(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    try:
        service.publish(qset)
    except TeachError as exc:
        flash(str(exc), "error")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    flash("Published: students of the classes it is assigned to can study it now"
          + (", and so can every student: it is public." if qset.is_public else "."), "success")
    return redirect(url_for("teach.set_detail", set_id=qset.id))


@bp.post("/sets/<int:set_id>/unpublish")
@instructor_required
def set_unpublish(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    service.unpublish(qset)
    flash("Back to draft: students no longer see this set (their history is kept).", "info")
    return redirect(url_for("teach.set_detail", set_id=qset.id))


@bp.post("/sets/<int:set_id>/delete")
@instructor_required
def set_delete(set_id: int):
    qset = access.owned_set_or_404(current_user, set_id)
    try:
        service.delete_set(qset)
    except TeachError as exc:
        flash(str(exc), "error")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    flash(f"Deleted {qset.title!r}.", "success")
    return redirect(url_for("teach.index"))


@bp.post("/sets/<int:set_id>/owners")
@instructor_required
def owner_add(set_id: int):
    qset = access.owned_set_or_404(current_user, set_id)
    form = CoOwnerForm()
    if form.validate_on_submit():
        try:
            user = service.add_co_owner(qset, form.email.data)
        except TeachError as exc:
            flash(str(exc), "error")
        else:
            flash(f"{user.email} can now edit this set.", "success")
    else:
        flash("Give the e-mail address of an instructor.", "error")
    return redirect(url_for("teach.set_detail", set_id=qset.id))


@bp.post("/sets/<int:set_id>/owners/<int:user_id>/remove")
@instructor_required
def owner_remove(set_id: int, user_id: int):
    qset = access.owned_set_or_404(current_user, set_id)
    service.remove_co_owner(qset, user_id)
    flash("Co-owner removed.", "success")
    return redirect(url_for("teach.set_detail", set_id=qset.id))


# --- questions ----------------------------------------------------------------------------

def _position(values) -> int:
    """The review position `i` of a query or form, kept to a range any set can have."""
    return min(max(0, values.get("i", 0, type=int)), 1_000_000)


def _safe_back(qset) -> str:
    if request.args.get("next") == "review":
        return url_for("teach.review", set_id=qset.id, i=_position(request.args))
    return url_for("teach.set_detail", set_id=qset.id)


@bp.route("/sets/<int:set_id>/questions/new", methods=["GET", "POST"])
@instructor_required
def question_new(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    qtype = request.args.get("type", QuestionType.SHORT_ANSWER.value)
    if qtype not in QUESTION_FORMS:
        abort(404)
    form = QUESTION_FORMS[qtype]()
    if form.validate_on_submit():
        try:
            service.save_question(qset, form.to_data())
        except TeachError as exc:
            form.prompt.errors = [*form.prompt.errors, *exc.problems]
        else:
            flash("Question added.", "success")
            if request.form.get("again"):
                return redirect(url_for("teach.question_new", set_id=qset.id, type=qtype))
            return redirect(url_for("teach.set_detail", set_id=qset.id))
    return render_template("teach/question_form.html", form=form, qset=qset, question=None,
                           qtype=qtype, type_labels=TYPE_LABELS, back=_safe_back(qset)), \
        (400 if form.errors else 200)


@bp.route("/sets/<int:set_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@instructor_required
def question_edit(set_id: int, question_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    q = access.question_or_404(qset, question_id)
    form = QUESTION_FORMS[q.type]()
    if request.method == "GET":
        form.fill(q)
    if form.validate_on_submit():
        try:
            told = service.edit_question(qset, q, form.to_data(q))
        except TeachError as exc:
            form.prompt.errors = [*form.prompt.errors, *exc.problems]
        else:
            flash("Question saved." + (" Students who reviewed it will be told the answer changed."
                                       if told else ""), "success")
            return redirect(_safe_back(qset))
    return render_template("teach/question_form.html", form=form, qset=qset, question=q,
                           qtype=q.type, type_labels=TYPE_LABELS, back=_safe_back(qset)), \
        (400 if form.errors else 200)


ACTION_MESSAGES = {"retire": "Question retired: students no longer get it; their history is kept.",
                   "restore": "Question restored.", "drop": "Question deleted.", "up": "", "down": ""}


@bp.post("/sets/<int:set_id>/questions/<int:question_id>/<action>")
@instructor_required
def question_action(set_id: int, question_id: int, action: str):
    qset = access.set_for_edit_or_404(current_user, set_id)
    q = access.question_or_404(qset, question_id)
    if action not in ACTION_MESSAGES:
        abort(404)
    done = service.question_action(qset, q, action)
    message = ("Students have studied this question, so it was retired instead of deleted."
               if action == "drop" and done == "retired" else ACTION_MESSAGES[action])
    if message:
        flash(message, "success")
    return redirect(url_for("teach.set_detail", set_id=qset.id) + f"#q{q.id}" if action in ("up", "down")
                    else url_for("teach.set_detail", set_id=qset.id))


# --- reviewing a generated draft ------------------------------------------------------------

@bp.get("/sets/<int:set_id>/review")
@instructor_required
def review(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    questions = service.set_questions(qset)
    i = _position(request.args)
    if not questions:
        flash("This set has no questions to review.", "info")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    done = i >= len(questions)
    q = None if done else questions[max(0, i)]
    return render_template("teach/review.html", qset=qset, q=q, i=max(0, i), total=len(questions),
                           kept=sum(not x.retired for x in questions),
                           dropped=sum(x.retired for x in questions), type_labels=TYPE_LABELS)


@bp.post("/sets/<int:set_id>/review/<int:question_id>")
@instructor_required
def review_decide(set_id: int, question_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    q = access.question_or_404(qset, question_id)
    decision = request.form.get("decision")
    if decision not in ("keep", "drop"):
        abort(400, "decision must be keep or drop")
    # Dropping in review retires, so a second thought can bring the question back.
    service.question_action(qset, q, "keep" if decision == "keep" else "retire")
    return redirect(url_for("teach.review", set_id=qset.id, i=_position(request.form) + 1))


# --- generation from a document, and every job's status page -------------------------------

@bp.route("/generate", methods=["GET", "POST"])
@instructor_required
def generate():
    form = GenerateForm()
    if form.validate_on_submit():
        upload = form.document.data
        name = PurePath(upload.filename or "").name
        ext = PurePath(name).suffix.lower()
        data = _read_upload(upload.stream, MAX_DOCUMENT_BYTES)
        if ext not in jobs.UPLOAD_TYPES:
            form.document.errors = [f"{name or 'That file'}: only .txt, .md and .pdf documents can "
                                    "be turned into questions."]
        elif data is None:
            form.document.errors = [f"{name}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; "
                                    "split the document or upload the relevant chapters."]
        elif not data.strip():
            form.document.errors = [f"{name}: the file is empty."]
        else:
            try:
                job = jobs.start_generation(current_user, name, data,
                                            (form.title.data or "").strip() or None)
            except jobs.Busy as exc:
                form.document.errors = [str(exc)]
                return render_template("teach/generate.html", form=form), 429
            except queue.QueueUnavailable as exc:
                form.document.errors = [str(exc)]
                return render_template("teach/generate.html", form=form), 503
            return redirect(url_for("teach.job_status", job_id=job.id))
    return render_template("teach/generate.html", form=form), (400 if form.errors else 200)


def _job_view(job) -> dict:
    """jobs.status(job) and what the page links to: the result, and cancel while unfinished."""
    jt = queue.registry.get(job.kind)
    out = {**queue.status(job), "label": jt.label, "failed_label": jt.failed, "follow": jt.follow,
           "status_url": url_for("teach.job_status_json", job_id=job.id)}
    if job.state == "done" and jt.link is not None:
        text, endpoint, args = jt.link({**(job.result or {}), "job_id": job.id})
        out["result_label"], out["result_url"] = text, url_for(endpoint, **args)
        if job.kind == jobs.GENERATE:
            out["review_url"] = out["result_url"]  # the name the JSON has always used
    if not job.finished:
        out["cancel_url"] = url_for("teach.job_cancel", job_id=job.id)
    return out


@bp.get("/generate/<job_id>")
@bp.get("/jobs/<job_id>")
@instructor_required
def job_status(job_id: str):
    job = access.job_or_404(current_user, job_id)
    view = _job_view(job)
    if view["follow"] and "result_url" in view and request.args.get("wait") is None:
        flash(job.message, "success")
        return redirect(view["result_url"])
    return render_template("teach/job_status.html", job=view)


@bp.get("/generate/<job_id>.json")
@bp.get("/jobs/<job_id>.json")
@instructor_required
def job_status_json(job_id: str):
    return jsonify(_job_view(access.job_or_404(current_user, job_id)))


@bp.post("/jobs/<job_id>/cancel")
@instructor_required
def job_cancel(job_id: str):
    job = access.job_or_404(current_user, job_id)
    outcome = queue.cancel(job)
    flash({"cancelled": "Cancelled before it started.",
           "cancelling": "Cancelling: the job stops at its next step; nothing it did is kept."}.get(
               outcome, f"Too late to cancel: the job is {job.state} already."), "info")
    return redirect(url_for("teach.job_status", job_id=job.id, wait=1))


@bp.get("/jobs/<job_id>/download")
@instructor_required
def job_download(job_id: str):
    job = access.job_or_404(current_user, job_id)
    out = queue.output(job) if job.state == "done" else None
    if out is None:
        abort(404)
    return Response(out.data, mimetype=out.media_type,
                    headers={"Content-Disposition": f"attachment; filename={out.name}"})


# --- import and export ------------------------------------------------------------------------

@bp.get("/import/formats")
@instructor_required
def import_formats():
    """The import and export formats and what each can carry (linked from the import page)."""
    from ..interchange.csvio import COLUMNS
    from ..question import limits

    return render_template("teach/import_formats.html", formats=interchange.FORMATS, columns=COLUMNS,
                           limits=limits, type_labels=TYPE_LABELS)


@bp.get("/import/template.csv")
def import_template():
    return Response(interchange.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=studyapp-questions-template.csv"})


PASTED = "pasted list"  # the name a pasted list goes by in messages


def _do_import(form: ImportForm, qset=None):
    """Import the form's file now, or, when it is big, queue it as a job. Returns the import's
    outcome, a redirect to the job's status page, or None (problems flashed or on the form)."""
    upload = form.file.data
    fmt = form.format.data or None
    if upload and getattr(upload, "filename", ""):
        name = PurePath(upload.filename or "upload").name
        data = _read_upload(upload.stream, MAX_IMPORT_BYTES)
    else:  # the paste box: a term and definition list unless another format is chosen
        name, data, fmt = PASTED, form.pasted.data.encode("utf-8"), fmt or "list"
        data = data if len(data) <= MAX_IMPORT_BYTES else None
    if data is None:
        form.file.errors = [f"{name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB."]
        return None
    title = (form.title.data or "").strip() or None
    if jobs.import_runs_as_job(len(data)):
        try:
            job = jobs.start_import(current_user, name, data, fmt=fmt, qset=qset, title=title,
                                    partial=form.partial.data)
        except queue.QueueUnavailable as exc:
            flash(str(exc), "error")
            return None
        return redirect(url_for("teach.job_status", job_id=job.id))
    try:
        outcome = service.import_file(current_user, data, name, fmt=fmt, qset=qset, title=title,
                                      partial=form.partial.data)
    except TeachError as exc:
        _problems(exc, service.not_imported_message(name, form.partial.data))
        return None
    if outcome.left_out:
        _problems(TeachError(outcome.left_out),
                  f"{len(outcome.left_out)} problems: these questions were left out of {name}:")
    return outcome


@bp.route("/import", methods=["GET", "POST"])
@instructor_required
def import_new():
    form = ImportForm()
    if form.validate_on_submit():
        outcome = _do_import(form)
        if isinstance(outcome, Response):
            return outcome
        if outcome is not None:
            flash(f"Imported into the new draft set {outcome.qset.title!r}: {outcome.result}.", "success")
            return redirect(url_for("teach.set_detail", set_id=outcome.qset.id))
    status = 400 if form.errors or request.method == "POST" else 200
    return render_template("teach/import.html", form=form), status


@bp.post("/sets/<int:set_id>/import")
@instructor_required
def import_into(set_id: int):
    qset = access.set_for_edit_or_404(current_user, set_id)
    form = ImportForm()
    if form.validate_on_submit():
        outcome = _do_import(form, qset)
        if isinstance(outcome, Response):
            return outcome
        if outcome is not None:
            flash(f"Imported: {outcome.result}.", "success")
    else:
        flash("Choose a file to import, or paste a list.", "error")
    return redirect(url_for("teach.set_detail", set_id=qset.id))


@bp.get("/sets/<int:set_id>/export.<fmt>")
@instructor_required
def export(set_id: int, fmt: str):
    qset = access.set_for_edit_or_404(current_user, set_id)
    out = service.export_set(qset, fmt)
    return Response(out.data, mimetype=out.media_type,
                    headers={"Content-Disposition": f"attachment; filename={out.filename}"})


@bp.post("/sets/<int:set_id>/export.<fmt>")
@instructor_required
def export_job(set_id: int, fmt: str):
    """A set's export as a job (the set page offers this for big sets): its status page
    gives the file when it is written."""
    qset = access.set_for_edit_or_404(current_user, set_id)
    try:
        job = jobs.start_export(current_user, qset, fmt)
    except queue.QueueUnavailable as exc:
        flash(str(exc), "error")
        return redirect(url_for("teach.set_detail", set_id=qset.id))
    return redirect(url_for("teach.job_status", job_id=job.id))


# --- classes ----------------------------------------------------------------------------------

@bp.route("/classes/new", methods=["GET", "POST"])
@instructor_required
def class_new():
    form = ClassForm()
    if form.validate_on_submit():
        c = service.create_class(current_user, form.name.data)
        flash(f"Class created. Students join with the code {c.join_code}.", "success")
        return redirect(url_for("teach.class_detail", class_id=c.id))
    return render_template("teach/class_form.html", form=form), (400 if form.errors else 200)


def _assign_form(formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata) if formdata is not None else AssignForm(formdata=None)
    form.set_id.choices = [SelectChoice(s.id, s.title + ("" if s.owner_id == current_user.id else " (public)"))
                           for s in access.assignable_sets(current_user)]
    form.target.choices = [SelectChoice(k, v) for k, v in service.TARGETS.items()]
    return form


@bp.get("/classes/<int:class_id>")
@instructor_required
def class_detail(class_id: int):
    c = access.class_or_404(current_user, class_id)
    join_url = url_for("teach.join_link", code=c.join_code, _external=True)
    return render_template("teach/class_detail.html", c=c, students=service.students(c),
                           class_sets=service.class_sets(c), assign_form=_assign_form(),
                           targets=service.TARGETS, join_url=join_url)


@bp.post("/classes/<int:class_id>/assign")
@instructor_required
def class_assign(class_id: int):
    c = access.class_or_404(current_user, class_id)
    form = _assign_form(request.form)
    if form.validate():
        due = (datetime.combine(form.due_date.data, time(23, 59, 59), UTC)
               if form.due_date.data else None)
        try:
            cs = service.assign_set(current_user, c, form.set_id.data, due, form.target.data)
        except TeachError as exc:
            flash(str(exc), "error")
        else:
            flash(f"{cs.set.title!r} assigned to {c.name}.", "success")
    else:
        flash("Not assigned: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()), "error")
    return redirect(url_for("teach.class_detail", class_id=c.id))


@bp.post("/classes/<int:class_id>/sets/<int:set_id>/remove")
@instructor_required
def class_unassign(class_id: int, set_id: int):
    c = access.class_or_404(current_user, class_id)
    service.unassign_set(c, set_id)
    flash("Set removed from the class (students' history is kept).", "success")
    return redirect(url_for("teach.class_detail", class_id=c.id))


@bp.post("/classes/<int:class_id>/students/<int:user_id>/remove")
@instructor_required
def class_remove_student(class_id: int, user_id: int):
    c = access.class_or_404(current_user, class_id)
    user = service.remove_student(c, user_id)
    flash(f"{user.name} removed from {c.name}.", "success")
    return redirect(url_for("teach.class_detail", class_id=c.id))


@bp.post("/classes/<int:class_id>/code")
@instructor_required
def class_new_code(class_id: int):
    c = access.class_or_404(current_user, class_id)
    service.new_join_code(c)
    flash(f"New join code: {c.join_code}. The old code no longer works.", "success")
    return redirect(url_for("teach.class_detail", class_id=c.id))


@bp.post("/classes/<int:class_id>/delete")
@instructor_required
def class_delete(class_id: int):
    c = access.class_or_404(current_user, class_id)
    service.delete_class(c)
    flash("Class deleted. Its students keep their own review history.", "success")
    return redirect(url_for("teach.index"))


# --- joining (students) -----------------------------------------------------------------------

@bp.post("/join")
@login_required
def join_class():
    form = JoinForm()
    if not form.validate_on_submit():
        flash("Type the class code your instructor gave you.", "error")
        return redirect(url_for("study.dashboard"))
    try:
        c, created = service.join_class(current_user, form.code.data)
    except TeachError as exc:
        flash(str(exc), "error")
        return redirect(url_for("study.dashboard"))
    flash(f"You joined {c.name}." if created else f"You are already in {c.name}.", "success")
    return redirect(url_for("study.dashboard"))


@bp.get("/join/<code>")
@login_required
def join_link(code: str):
    c = service.class_by_code(code)
    if c is None:
        abort(404)
    return render_template("teach/join.html", c=c, code=c.join_code, form=JoinForm(formdata=None))


# --- statistics -------------------------------------------------------------------------------

@bp.get("/classes/<int:class_id>/stats")
@instructor_required
def class_overview(class_id: int):
    c = access.class_or_404(current_user, class_id)
    sort = request.args.get("sort", "name")
    overview = class_stats.class_overview(c, sort=sort)
    return render_template("teach/class_stats.html", c=c, ov=overview, sort=overview["sort"])


@bp.get("/classes/<int:class_id>/stats.csv")
@instructor_required
def class_overview_csv(class_id: int):
    c = access.class_or_404(current_user, class_id)
    overview = class_stats.class_overview(c, sort=request.args.get("sort", "name"))
    return Response(class_stats.overview_csv(overview), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=class-{c.id}-overview.csv"})


@bp.get("/classes/<int:class_id>/stats.json")
@instructor_required
def class_stats_json(class_id: int):
    c = access.class_or_404(current_user, class_id)
    return jsonify(class_stats.chart_data(c))


@bp.get("/classes/<int:class_id>/items")
@instructor_required
def class_items(class_id: int):
    c = access.class_or_404(current_user, class_id)
    analysis = class_stats.item_analysis(c, sort=request.args.get("sort", "flagged"))
    per_page = 100  # 2,000 rows in one table helps nobody and costs a second to render
    pages = max(1, -(-len(analysis["items"]) // per_page))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    shown = analysis["items"][(page - 1) * per_page: page * per_page]
    return render_template("teach/class_items.html", c=c, ia=analysis, sort=analysis["sort"],
                           shown=shown, page=page, pages=pages, type_labels=TYPE_LABELS)


@bp.get("/students/<int:user_id>")
@instructor_required
def student_progress(user_id: int):
    student = access.student_or_404(current_user, user_id)
    return render_template("study/progress.html", subject=student,
                           data_url=url_for("teach.student_progress_data", user_id=student.id))


@bp.get("/students/<int:user_id>/progress.json")
@instructor_required
def student_progress_data(user_id: int):
    student = access.student_or_404(current_user, user_id)
    return jsonify(stats.progress_data(
        student, set_ids=access.sets_shown_to_instructor(current_user, student.id)))
