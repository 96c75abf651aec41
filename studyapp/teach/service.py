"""Instructor operations on sets, questions and classes. Views and CLI commands call these;
each function changes nothing when it raises, and the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import interchange
from ..access import can_edit_set
from ..bank import UpsertResult, upsert_questions
from ..extensions import db
from ..models import (
    Classroom,
    ClassSet,
    Enrollment,
    Question,
    QuestionSet,
    QuizAnswer,
    ReviewLog,
    SetOwner,
    User,
    utcnow,
)
from ..question import Question as QuestionData
from ..question import validate_question

TARGETS = {"": "No target", "all_reviewed": "Every card reviewed at least once",
           "all_learned": "Every card learned (past the learning steps)"}


class TeachError(ValueError):
    """An instructor action that cannot be done; `problems` lists every reason."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


# --- sets -------------------------------------------------------------------------------

def editable_sets_clause(user: User):
    return or_(QuestionSet.owner_id == user.id,
               exists(select(SetOwner.set_id).where(SetOwner.set_id == QuestionSet.id,
                                                    SetOwner.user_id == user.id)))


def editable_sets(user: User) -> list[QuestionSet]:
    return list(db.session.scalars(select(QuestionSet).where(editable_sets_clause(user))
                                   .order_by(QuestionSet.updated_at.desc())))


def set_for_edit_or_404(user: User, set_id: int) -> QuestionSet:
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_edit_set(user, qset):
        abort(404)
    return qset


def owned_set_or_404(user: User, set_id: int) -> QuestionSet:
    """A set only its owner may delete or share: a co-owner gets 403, anyone else 404."""
    qset = set_for_edit_or_404(user, set_id)
    if qset.owner_id != user.id:
        abort(403)
    return qset


def question_for_edit_or_404(user: User, qset: QuestionSet, question_id: int) -> Question:
    q = db.session.get(Question, question_id)
    if q is None or q.set_id != qset.id:
        abort(404)
    return q


def create_set(owner: User | None, title: str, description: str = "", *, origin: str = "manual",
               status: str = "draft", is_public: bool = False) -> QuestionSet:
    title = (title or "").strip()
    if not title:
        raise TeachError("field 'title': a set needs a title")
    qset = QuestionSet(key=QuestionSet.new_key(), title=title[:300], description=description or "",
                       owner_id=owner.id if owner else None, origin=origin, status=status,
                       is_public=is_public, sources=[])
    db.session.add(qset)
    db.session.flush()
    return qset


def set_question_counts(set_ids: list[int]) -> dict[int, dict]:
    out = {sid: {"active": 0, "retired": 0} for sid in set_ids}
    if set_ids:
        rows = db.session.execute(select(Question.set_id, Question.retired, func.count())
                                  .where(Question.set_id.in_(set_ids))
                                  .group_by(Question.set_id, Question.retired))
        for sid, retired, n in rows:
            out[sid]["retired" if retired else "active"] = n
    return out


def questions_with_history(question_ids: list[int]) -> set[int]:
    """Questions some student has reviewed or answered in a quiz: never deleted, only retired."""
    if not question_ids:
        return set()
    reviewed = select(ReviewLog.question_id).where(ReviewLog.question_id.in_(question_ids))
    quizzed = select(QuizAnswer.question_id).where(QuizAnswer.question_id.in_(question_ids))
    return set(db.session.scalars(reviewed.union(quizzed)))


def set_has_history(qset: QuestionSet) -> bool:
    ids = select(Question.id).where(Question.set_id == qset.id)
    return bool(db.session.scalar(select(
        exists().where(ReviewLog.question_id.in_(ids)) | exists().where(QuizAnswer.question_id.in_(ids)))))


def delete_set(qset: QuestionSet) -> None:
    if set_has_history(qset):
        raise TeachError("students have studied this set: retire its questions instead of deleting it")
    db.session.delete(qset)


def publish(qset: QuestionSet) -> None:
    if not db.session.scalar(select(func.count()).where(Question.set_id == qset.id,
                                                        Question.retired.is_(False))):
        raise TeachError("a set needs at least one question (not dropped) to be published")
    qset.status = "published"


def add_co_owner(qset: QuestionSet, email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.is_instructor:
        raise TeachError(f"field 'email': no instructor account uses {email!r}")
    if user.id == qset.owner_id or db.session.get(SetOwner, (qset.id, user.id)):
        raise TeachError(f"field 'email': {user.email} can already edit this set")
    db.session.add(SetOwner(set_id=qset.id, user_id=user.id))
    return user


def co_owners(qset: QuestionSet) -> list[User]:
    return list(db.session.scalars(select(User).join(SetOwner, SetOwner.user_id == User.id)
                                   .where(SetOwner.set_id == qset.id).order_by(User.email)))


# --- questions --------------------------------------------------------------------------

def next_position(qset: QuestionSet) -> int:
    top = db.session.scalar(select(func.max(Question.position)).where(Question.set_id == qset.id))
    return (top if top is not None else -1) + 1


def save_question(qset: QuestionSet, data: dict, question: Question | None = None) -> Question:
    """Create or edit in place (history stays attached to the row). A changed answer
    stamps answer_changed_at so students who reviewed the card are told."""
    candidate = {**data, "id": question.uid if question else interchange.content_uid(data)}
    if question is not None and not data.get("sibling"):
        candidate["sibling"] = question.sibling  # an edit stays in its fact group
    problems = validate_question(candidate, "question", 0)
    if problems:
        raise TeachError(problems)
    new = QuestionData.from_bank(candidate)
    values = new.to_columns()
    if question is None:
        uid = candidate["id"]
        taken = set(db.session.scalars(select(Question.uid).where(Question.set_id == qset.id)))
        if uid in taken:
            raise TeachError("this set already has the same question")
        question = Question(set_id=qset.id, uid=uid, position=next_position(qset), **values)
        db.session.add(question)
        db.session.flush()
        return question
    if new.answer_changed(QuestionData.from_row(question)):
        question.answer_changed_at = utcnow()
    for k, v in values.items():
        setattr(question, k, v)
    return question


def drop_question(q: Question) -> str:
    """Delete a question nobody has studied; retire one with history. Returns what was done."""
    if questions_with_history([q.id]):
        q.retired = True
        return "retired"
    db.session.delete(q)
    return "deleted"


def move_question(qset: QuestionSet, q: Question, direction: int) -> None:
    rows = list(db.session.scalars(select(Question).where(Question.set_id == qset.id)
                                   .order_by(Question.position, Question.id)))
    for i, row in enumerate(rows):  # make positions distinct before swapping
        row.position = i
    i = rows.index(q)
    j = i + (1 if direction > 0 else -1)
    if 0 <= j < len(rows):
        rows[i].position, rows[j].position = j, i


# --- imports ----------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    qset: QuestionSet
    result: UpsertResult
    created_set: bool


def import_questions(qset: QuestionSet, questions: list[dict]) -> UpsertResult:
    """Upsert parsed questions into a set without duplicating: a question whose content
    matches one already there (whatever its id) is that question. Keeps existing order
    and appends new questions at the end. Caller commits."""
    existing = {q.uid: q for q in db.session.scalars(select(Question).where(Question.set_id == qset.id))}
    by_content = {interchange.content_uid(QuestionData.from_row(q).to_bank()): uid for uid, q in existing.items()}
    pending, unchanged = [], 0
    for q in questions:
        if q["id"] not in existing and interchange.content_uid(q) in by_content:
            q = {**q, "id": by_content[interchange.content_uid(q)]}
        row = existing.get(q["id"])
        if row is not None and not row.retired and all(
                getattr(row, k) == v for k, v in QuestionData.from_bank(q).to_columns().items()):
            unchanged += 1
            continue
        pending.append(q)
    old_positions = {uid: row.position for uid, row in existing.items()}
    result = upsert_questions(qset, pending, retire_missing=False)
    result.unchanged += unchanged
    db.session.flush()
    rows = {q.uid: q for q in db.session.scalars(select(Question).where(Question.set_id == qset.id))}
    position = max(old_positions.values(), default=-1) + 1
    for q in pending:
        if q["id"] in old_positions:
            rows[q["id"]].position = old_positions[q["id"]]
        else:
            rows[q["id"]].position = position
            position += 1
    return result


def import_file(owner: User | None, data: bytes, filename: str, *, fmt: str | None = None,
                qset: QuestionSet | None = None, title: str | None = None,
                status: str = "draft") -> ImportOutcome:
    """Parse, then write everything in one transaction; any problem rejects the whole file."""
    try:
        fmt = fmt or interchange.detect_format(filename)
        questions, problems, meta = interchange.parse(fmt, data, filename)
    except interchange.UnknownFormat as exc:
        raise TeachError(str(exc)) from exc
    if problems:
        raise TeachError(problems)
    try:
        created = qset is None
        if created:
            qset = create_set(owner, title or meta.get("title") or filename.rsplit(".", 1)[0],
                              meta.get("description", ""), origin="import", status=status)
            qset.sources = meta.get("sources") or []
        result = import_questions(qset, questions)
        qset.updated_at = utcnow()
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise TeachError(f"{filename}: could not be saved ({exc.orig.__class__.__name__})") from exc
    except Exception:
        db.session.rollback()
        raise
    return ImportOutcome(qset, result, created)


# --- classes ----------------------------------------------------------------------------

def my_classes(user: User) -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).where(Classroom.owner_id == user.id)
                                   .order_by(Classroom.created_at.desc())))


def class_or_404(user: User, class_id: int) -> Classroom:
    c = db.session.get(Classroom, class_id)
    if c is None or c.owner_id != user.id:
        abort(404)
    return c


def _unused_code() -> str:
    while True:
        code = Classroom.new_join_code()
        if not db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)):
            return code


def create_class(owner: User, name: str) -> Classroom:
    name = (name or "").strip()
    if not name:
        raise TeachError("field 'name': a class needs a name")
    c = Classroom(name=name[:200], owner_id=owner.id, join_code=_unused_code())
    db.session.add(c)
    db.session.flush()
    return c


def new_join_code(c: Classroom) -> None:
    c.join_code = _unused_code()


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper().replace("-", "")


def class_by_code(code: str) -> Classroom | None:
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(Classroom).where(Classroom.join_code == code))


def join_class(user: User, code: str) -> tuple[Classroom, bool]:
    c = class_by_code(code)
    if c is None:
        raise TeachError(f"No class has the code {normalise_code(code)[:16]!r}. "
                         "Check it with your instructor.")
    if c.owner_id == user.id:
        raise TeachError("You teach this class; students join it with this code.")
    if db.session.get(Enrollment, (c.id, user.id)):
        return c, False
    db.session.add(Enrollment(class_id=c.id, user_id=user.id))
    return c, True


def students(c: Classroom) -> list[User]:
    return list(db.session.scalars(select(User).join(Enrollment, Enrollment.user_id == User.id)
                                   .where(Enrollment.class_id == c.id).order_by(User.email)))


def remove_student(c: Classroom, user_id: int) -> User:
    e = db.session.get(Enrollment, (c.id, user_id))
    if e is None:
        abort(404)
    user = e.user
    db.session.delete(e)
    return user


def assignable_sets(user: User) -> list[QuestionSet]:
    """Published sets this instructor may assign: their own and the public ones."""
    return list(db.session.scalars(
        select(QuestionSet).where(QuestionSet.status == "published",
                                  or_(editable_sets_clause(user), QuestionSet.is_public))
        .order_by(QuestionSet.title)))


def class_sets(c: Classroom) -> list[ClassSet]:
    return list(db.session.scalars(select(ClassSet).join(QuestionSet, QuestionSet.id == ClassSet.set_id)
                                   .where(ClassSet.class_id == c.id).order_by(QuestionSet.title)))


def assign_set(user: User, c: Classroom, set_id: int, due_date: datetime | None,
               target: str | None) -> ClassSet:
    if set_id not in {s.id for s in assignable_sets(user)}:
        raise TeachError("field 'set': pick one of your published sets or a public set")
    if target and target not in TARGETS:
        raise TeachError(f"field 'target': must be one of {', '.join(t for t in TARGETS if t)}")
    cs = db.session.get(ClassSet, (c.id, set_id))
    if cs is None:
        cs = ClassSet(class_id=c.id, set_id=set_id)
        db.session.add(cs)
    cs.due_date, cs.target = due_date, (target or None)
    return cs


def teaches_student(instructor: User, student_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Enrollment.user_id == student_id, Enrollment.class_id == Classroom.id,
        Classroom.owner_id == instructor.id))))
