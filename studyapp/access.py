"""Who may see what: one place for the ownership checks every view relies on.

Another user's id in a URL gets 404 (not 403), so ids of others' data are not even confirmed.
"""

from __future__ import annotations

from functools import lru_cache

from flask import abort, g, has_request_context
from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.sql.elements import BindParameter

from .extensions import db
from .models import ClassSet, Enrollment, QuestionSet, QuizAttempt, SetOwner, User


def visible_sets_clause(user: User | BindParameter):
    """SQL condition: sets this user (or a bound user id) may study."""
    user_id = user if isinstance(user, BindParameter) else user.id
    in_my_class = exists(
        select(ClassSet.set_id)
        .join(Enrollment, Enrollment.class_id == ClassSet.class_id)
        .where(ClassSet.set_id == QuestionSet.id, Enrollment.user_id == user_id)
    )
    published = QuestionSet.status == "published"
    return or_(
        published & or_(QuestionSet.is_public, in_my_class),
        QuestionSet.owner_id == user_id,
        exists(select(SetOwner.set_id).where(SetOwner.set_id == QuestionSet.id,
                                             SetOwner.user_id == user_id)),
    )


@lru_cache(maxsize=1)
def _studyable_stmt():
    # Built once: every review checks it, and building this clause costs more than running it.
    return select(QuestionSet).where(QuestionSet.id == bindparam("set_id"),
                                     visible_sets_clause(bindparam("user_id")))


def visible_sets(user: User) -> list[QuestionSet]:
    return list(db.session.scalars(
        select(QuestionSet).where(visible_sets_clause(user)).order_by(QuestionSet.title)
    ))


def studyable_set(user: User, set_id: int) -> QuestionSet | None:
    """The set if this user may study it, else None. Remembered for the rest of the request,
    since one API call may check the same set several times."""
    cache = g.setdefault("_studyable_sets", {}) if has_request_context() else {}
    key = (user.id, set_id)
    if key not in cache:
        cache[key] = db.session.scalar(_studyable_stmt(), {"set_id": set_id, "user_id": user.id})
    return cache[key]


def set_for_study_or_404(user: User, set_id: int) -> QuestionSet:
    qset = studyable_set(user, set_id)
    if qset is None:
        abort(404)
    return qset


def can_edit_set(user: User, qset: QuestionSet) -> bool:
    if not user.is_authenticated or not user.is_instructor:
        return False
    if qset.owner_id == user.id:
        return True
    return db.session.get(SetOwner, (qset.id, user.id)) is not None


def attempt_or_404(user: User, attempt_id: int) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        abort(404)
    return attempt
