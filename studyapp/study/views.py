"""Student pages: dashboard, review screen, quizzes, progress, settings."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from ..access import attempt_or_404, set_for_study_or_404, visible_sets
from ..extensions import db
from ..models import Question
from ..question import Input, QuestionType
from . import bp, quiz, service
from .forms import QuizAnswerForm, QuizForm, SettingsForm


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("study.dashboard"))
    return render_template("study/landing.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    qsets = visible_sets(current_user)
    counts = service.set_counts(current_user, [s.id for s in qsets])
    return render_template("study/dashboard.html", sets=qsets, counts=counts,
                           new_left=service.new_cards_left_today(current_user, service.now_utc()))


@bp.get("/sets/<int:set_id>/study")
@login_required
def study(set_id: int):
    qset = set_for_study_or_404(current_user, set_id)
    return render_template("study/review.html", qset=qset)


@bp.route("/sets/<int:set_id>/quiz", methods=["GET", "POST"])
@login_required
def quiz_start(set_id: int):
    qset = set_for_study_or_404(current_user, set_id)
    pool = quiz.eligible_questions(qset)
    form = QuizForm()
    form.topic.choices = [SelectChoice("", "All topics")] + [
        SelectChoice(t) for t in sorted({q.topic for q in pool if q.topic})]
    form.fact_kind.choices = [SelectChoice("", "All kinds")] + [
        SelectChoice(k, k.title()) for k in sorted({q.fact_kind for q in pool})]
    if form.validate_on_submit():
        try:
            attempt = quiz.start_quiz(current_user, qset, form.count.data, form.topic.data or None,
                                      form.fact_kind.data or None, form.immediate_feedback.data)
        except quiz.QuizError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("study.quiz_take", attempt_id=attempt.id))
    unfinished = [a for a in _recent_attempts(qset.id) if a.finished_at is None]
    return render_template("study/quiz_start.html", qset=qset, form=form, pool=len(pool),
                           unfinished=unfinished), (400 if form.errors else 200)


def _recent_attempts(set_id: int):
    from ..models import QuizAttempt

    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == current_user.id, QuizAttempt.set_id == set_id)
        .order_by(QuizAttempt.started_at.desc()).limit(5)))


@bp.route("/quiz/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def quiz_take(attempt_id: int):
    attempt = attempt_or_404(current_user, attempt_id)
    form = QuizAnswerForm()
    feedback = None
    if request.method == "POST":
        if not form.validate():
            flash("That answer could not be read: " + "; ".join(
                f"{k}: {' '.join(v)}" for k, v in form.errors.items()), "error")
        else:
            try:
                ans = quiz.record_answer(attempt, form.question_id.data,
                                         _posted_answer(form, attempt, form.question_id.data),
                                         form.duration_ms.data)
            except quiz.QuizError as exc:
                flash(str(exc), "error")
            else:
                if attempt.immediate_feedback:
                    question = db.session.get(Question, ans.question_id)
                    feedback = {"answer": ans, "question": question,
                                "said": quiz.feedback_for(question, ans)}
                else:
                    return redirect(url_for("study.quiz_take", attempt_id=attempt.id))
    nxt = quiz.next_question(attempt)
    if nxt is None and feedback is None:
        quiz.finish(attempt)
        return redirect(url_for("study.quiz_results", attempt_id=attempt.id))
    answer_form = QuizAnswerForm(formdata=None)
    return render_template("study/quiz_take.html", attempt=attempt, nxt=nxt, form=answer_form,
                           feedback=feedback, answered=len(quiz.answered_ids(attempt)))


def _posted_answer(form: QuizAnswerForm, attempt, question_id: int):
    """The answer as the question's partial posts it: one text, the ticked options, the
    right-hand item chosen for each left one (in their order), or the items by position."""
    q = db.session.get(Question, question_id) if question_id in attempt.question_ids else None
    how = QuestionType(q.type).traits.input if q is not None else None
    if how is Input.CHOICES:
        return request.form.getlist("answer")
    if how is Input.MATCH:
        return request.form.getlist("match")
    if how is Input.ORDER:
        ranks, items = request.form.getlist("rank"), request.form.getlist("item")
        if len(ranks) != len(items) or len(set(ranks)) != len(ranks):
            raise quiz.QuizError("Give each item a different position.")
        return [item for _, item in sorted(zip(ranks, items, strict=True),
                                           key=lambda p: int(p[0]) if p[0].isdigit() else 0)]
    return form.answer.data or ""


@bp.post("/quiz/<int:attempt_id>/finish")
@login_required
def quiz_finish(attempt_id: int):
    attempt = attempt_or_404(current_user, attempt_id)
    quiz.finish(attempt)
    return redirect(url_for("study.quiz_results", attempt_id=attempt.id))


@bp.get("/quiz/<int:attempt_id>/results")
@login_required
def quiz_results(attempt_id: int):
    attempt = attempt_or_404(current_user, attempt_id)
    if attempt.finished_at is None:
        flash("Finish the quiz to see the answers; your answers so far are saved.", "info")
        return redirect(url_for("study.quiz_take", attempt_id=attempt.id))
    return render_template("study/quiz_results.html", attempt=attempt, res=quiz.results(attempt))


@bp.get("/progress")
@login_required
def progress():
    return render_template("study/progress.html", subject=current_user,
                           data_url=url_for("api.progress"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET":
        form.desired_retention.data = Decimal(str(current_user.desired_retention))
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data or ""
        current_user.daily_new_limit = form.daily_new_limit.data
        current_user.desired_retention = float(form.desired_retention.data)
        db.session.commit()
        flash("Settings saved. They apply from your next review.", "success")
        return redirect(url_for("study.settings"))
    if form.errors:
        flash("Settings not saved: check the fields marked below.", "error")
    return render_template("study/settings.html", form=form), (400 if form.errors else 200)


@bp.app_template_filter("pct")
def pct(value) -> str:
    return "–" if value is None else f"{round(100 * value)}%"




@bp.app_template_filter("tf")
def true_false_label(value) -> str:
    """Show stored true/false answers as words a student reads."""
    return {"true": "True", "false": "False"}.get(str(value).lower(), value) if value is not None else ""
