"""Quiz attempts: drawn once, saved answer by answer, resumable, feeding the scheduler."""

from __future__ import annotations

import random

from sqlalchemy import select

from ..extensions import db
from ..models import Question, QuestionSet, QuizAnswer, QuizAttempt, User, utcnow
from ..question import QUIZ_TYPES, QuestionType
from . import service


class QuizError(ValueError):
    pass


def eligible_questions(qset: QuestionSet, topic: str | None = None, fact_kind: str | None = None):
    stmt = select(Question).where(Question.set_id == qset.id, Question.retired.is_(False),
                                  Question.type.in_(QUIZ_TYPES))
    if topic:
        stmt = stmt.where(Question.topic == topic)
    if fact_kind:
        stmt = stmt.where(Question.fact_kind == fact_kind)
    return list(db.session.scalars(stmt.order_by(Question.position, Question.id)))


def draw(pool: list[Question], count: int, rng: random.Random) -> list[Question]:
    """`count` questions at random, no two of one sibling group while other groups are
    left: one question's answer must not give away the next one's."""
    first, later, groups = [], [], set()
    for q in rng.sample(pool, len(pool)):
        if q.sibling is not None and q.sibling in groups:
            later.append(q)
        else:
            first.append(q)
            groups.add(q.sibling)
    return (first + later)[:count]


def start_quiz(user: User, qset: QuestionSet, count: int, topic: str | None = None,
               fact_kind: str | None = None, immediate_feedback: bool = False,
               rng: random.Random | None = None) -> QuizAttempt:
    pool = eligible_questions(qset, topic, fact_kind)
    if not pool:
        raise QuizError("No quiz questions match that topic and kind of fact.")
    picked = draw(pool, count, rng or random.Random())
    attempt = QuizAttempt(user_id=user.id, set_id=qset.id, question_ids=[q.id for q in picked],
                          immediate_feedback=immediate_feedback, topic=topic or None,
                          fact_kind=fact_kind or None)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def answered_ids(attempt: QuizAttempt) -> set[int]:
    return {a.question_id for a in attempt.answers}


def next_question(attempt: QuizAttempt) -> tuple[int, Question] | None:
    done = answered_ids(attempt)
    for pos, qid in enumerate(attempt.question_ids):
        if qid not in done:
            q = db.session.get(Question, qid)
            if q is not None:
                return pos, q
    return None


def record_answer(attempt: QuizAttempt, question_id: int, given,
                  duration_ms: int | None = None) -> QuizAnswer:
    """Grade and save one answer (idempotent: a resubmission returns the saved answer)."""
    if attempt.finished_at is not None:
        raise QuizError("This quiz is finished; start a new one.")
    if question_id not in attempt.question_ids:
        raise QuizError("That question is not part of this quiz.")
    existing = db.session.scalar(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id,
                                                         QuizAnswer.question_id == question_id))
    if existing is not None:
        return existing
    try:
        q = service.question_for_user(db.session.get(User, attempt.user_id), question_id)
    except service.NotFound as exc:  # unpublished or unassigned since the quiz started
        raise QuizError("This quiz's set is no longer available to you, so no more answers "
                        "can be recorded; your earlier answers are kept.") from exc
    try:
        g = service.grade_answer(q, given)
    except service.ReviewError as exc:
        raise QuizError(str(exc)) from exc
    ans = QuizAnswer(attempt_id=attempt.id, question_id=q.id,
                     position=attempt.question_ids.index(q.id), given=g.given, correct=g.correct,
                     near=g.near, score=g.score, duration_ms=duration_ms)
    attempt.answers.append(ans)  # keeps the attempt's answers current in this request
    if len(answered_ids(attempt) | {q.id}) >= len(attempt.question_ids):
        attempt.finished_at = utcnow()
    user = db.session.get(User, attempt.user_id)
    # One review per quiz answer, committed with it, rated as the review screen suggests.
    service.submit_review(user, q.id, service.suggested(g), answer=given, duration_ms=duration_ms,
                          client_review_id=f"quiz-{attempt.id}-{q.id}", origin="quiz")
    return ans


def feedback_for(q: Question, answer: QuizAnswer) -> str:
    """The teacher's feedback on the answer given (per-answer feedback), if any."""
    if not q.feedback:
        return ""
    try:
        return service.grade_answer(q, answer.given.split("; ") if QuestionType(q.type).traits.answer_is_list
                                    else answer.given).feedback
    except service.ReviewError:
        return ""


def finish(attempt: QuizAttempt) -> None:
    if attempt.finished_at is None:
        attempt.finished_at = utcnow()
        db.session.commit()


def results(attempt: QuizAttempt) -> dict:
    by_q = {a.question_id: a for a in attempt.answers}
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))}
    rows = []
    for qid in attempt.question_ids:
        q = questions.get(qid)
        if q is None:
            continue
        rows.append({"question": q, "answer": by_q.get(qid)})
    # Partial credit counts as its share of the mark, as in Moodle.
    right = sum(answer_score(r["answer"]) for r in rows if r["answer"])
    return {"rows": rows, "right": int(right) if float(right).is_integer() else round(right, 2),
            "total": len(rows),
            "percent": round(100 * right / len(rows)) if rows else 0}


def answer_score(a: QuizAnswer) -> float:
    return a.score if a.score is not None else float(a.correct)
