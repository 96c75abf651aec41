"""Who may see or change what: the one place for ownership checks.

Every `*_or_404` function returns the thing or raises `errors.NotFound` (the web app
answers 404, not 403, so ids of others' data are not even confirmed); `errors.Forbidden`
only where the user may see the thing but not do this to it.
"""

from __future__ import annotations

from functools import lru_cache

from flask import g, has_request_context
from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.sql.elements import BindParameter

from .errors import Forbidden, NotFound
from .extensions import db
from .models import (
    Classroom,
    ClassSet,
    Enrollment,
    Job,
    Question,
    QuestionSet,
    QuizAttempt,
    SetOwner,
    User,
)


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
        raise NotFound("No such set.")
    return qset


def attempt_or_404(user: User, attempt_id: int) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("No such quiz.")
    return attempt


# --- instructors: sets they edit, classes they teach, their students ---------------------

def editable_sets_clause(user: User):
    """SQL condition: sets this instructor owns or co-owns."""
    return or_(QuestionSet.owner_id == user.id,
               exists(select(SetOwner.set_id).where(SetOwner.set_id == QuestionSet.id,
                                                    SetOwner.user_id == user.id)))


def editable_sets(user: User) -> list[QuestionSet]:
    return list(db.session.scalars(select(QuestionSet).where(editable_sets_clause(user))
                                   .order_by(QuestionSet.updated_at.desc())))


def assignable_sets(user: User) -> list[QuestionSet]:
    """Published sets this instructor may assign: their own and the public ones."""
    return list(db.session.scalars(
        select(QuestionSet).where(QuestionSet.status == "published",
                                  or_(editable_sets_clause(user), QuestionSet.is_public))
        .order_by(QuestionSet.title)))


def can_edit_set(user: User, qset: QuestionSet) -> bool:
    if not user.is_authenticated or not user.is_instructor:
        return False
    if qset.owner_id == user.id:
        return True
    return db.session.get(SetOwner, (qset.id, user.id)) is not None


def set_for_edit_or_404(user: User, set_id: int) -> QuestionSet:
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_edit_set(user, qset):
        raise NotFound("No such set.")
    return qset


def owned_set_or_404(user: User, set_id: int) -> QuestionSet:
    """A set only its owner may delete or share: a co-owner is refused, anyone else 404."""
    qset = set_for_edit_or_404(user, set_id)
    if qset.owner_id != user.id:
        raise Forbidden("Only the owner of this set may do that.")
    return qset


def question_or_404(qset: QuestionSet, question_id: int) -> Question:
    """A question of a set the caller already may edit."""
    q = db.session.get(Question, question_id)
    if q is None or q.set_id != qset.id:
        raise NotFound("No such question in this set.")
    return q


def class_or_404(user: User, class_id: int) -> Classroom:
    c = db.session.get(Classroom, class_id)
    if c is None or c.owner_id != user.id:
        raise NotFound("No such class.")
    return c


def job_or_404(user: User, job_id: str) -> Job:
    """A job its owner started (another's id, or a system job, is not confirmed)."""
    job = db.session.get(Job, job_id[:32], populate_existing=True)
    if job is None or job.owner_id is None or job.owner_id != user.id:
        raise NotFound("No such job.")
    return job


def teaches_student(instructor: User, student_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Enrollment.user_id == student_id, Enrollment.class_id == Classroom.id,
        Classroom.owner_id == instructor.id))))


def student_or_404(instructor: User, student_id: int) -> User:
    """A student in one of this instructor's classes."""
    student = db.session.get(User, student_id)
    if student is None or not teaches_student(instructor, student_id):
        raise NotFound("No such student in your classes.")
    return student


def sets_shown_to_instructor(instructor: User, student_id: int):
    """Select of the set ids whose progress an instructor may see for one student: the sets
    assigned to the instructor's own classes that the student is in. Nothing else the
    student studies (another instructor's private set, a public bank) is the instructor's
    business, not even its title."""
    return (select(ClassSet.set_id)
            .join(Classroom, Classroom.id == ClassSet.class_id)
            .join(Enrollment, Enrollment.class_id == ClassSet.class_id)
            .where(Classroom.owner_id == instructor.id, Enrollment.user_id == student_id))
