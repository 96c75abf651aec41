"""Instructor operations on sets, questions and classes: what views, CLI commands and
jobs call. A function marked @commits is one transaction (it commits when it returns and
changes nothing when it raises); the others are its building blocks. Who may touch what
is decided before, in access.py; errors are domain errors (errors.py), never HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from .. import interchange
from ..access import assignable_sets
from ..bank import UpsertResult, upsert_questions
from ..errors import Invalid, NotFound
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
from ..unit_of_work import commits

TARGETS = {"": "No target", "all_reviewed": "Every card reviewed at least once",
           "all_learned": "Every card learned (past the learning steps)"}


class TeachError(Invalid):
    """An instructor action that cannot be done; `problems` lists every reason."""


# --- sets -------------------------------------------------------------------------------

@commits
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


@commits
def update_set(qset: QuestionSet, title: str, description: str, is_public: bool) -> None:
    title = (title or "").strip()
    if not title:
        raise TeachError("field 'title': a set needs a title")
    qset.title, qset.description, qset.is_public = title[:300], description or "", is_public


@commits
def delete_set(qset: QuestionSet) -> None:
    if set_has_history(qset):
        raise TeachError("students have studied this set: retire its questions instead of deleting it")
    db.session.delete(qset)


@commits
def publish(qset: QuestionSet) -> None:
    if not db.session.scalar(select(func.count()).where(Question.set_id == qset.id,
                                                        Question.retired.is_(False))):
        raise TeachError("a set needs at least one question (not dropped) to be published")
    qset.status = "published"


@commits
def unpublish(qset: QuestionSet) -> None:
    qset.status = "draft"


@commits
def add_co_owner(qset: QuestionSet, email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.is_instructor:
        raise TeachError(f"field 'email': no instructor account uses {email!r}")
    if user.id == qset.owner_id or db.session.get(SetOwner, (qset.id, user.id)):
        raise TeachError(f"field 'email': {user.email} can already edit this set")
    db.session.add(SetOwner(set_id=qset.id, user_id=user.id))
    return user


@commits
def remove_co_owner(qset: QuestionSet, user_id: int) -> None:
    row = db.session.get(SetOwner, (qset.id, user_id))
    if row is None:
        raise NotFound("That instructor is not a co-owner of this set.")
    db.session.delete(row)


def co_owners(qset: QuestionSet) -> list[User]:
    return list(db.session.scalars(select(User).join(SetOwner, SetOwner.user_id == User.id)
                                   .where(SetOwner.set_id == qset.id).order_by(User.email)))


# --- questions --------------------------------------------------------------------------

def next_position(qset: QuestionSet) -> int:
    top = db.session.scalar(select(func.max(Question.position)).where(Question.set_id == qset.id))
    return (top if top is not None else -1) + 1


def set_questions(qset: QuestionSet) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.set_id == qset.id)
                                   .order_by(Question.position, Question.id)))


@commits
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


@commits
def edit_question(qset: QuestionSet, question: Question, data: dict) -> bool:
    """Save an edit; True when students who reviewed the question are to be told that its
    answer changed."""
    stamp = question.answer_changed_at
    save_question(qset, data, question)
    return question.answer_changed_at != stamp and bool(questions_with_history([question.id]))


def drop_question(q: Question) -> str:
    """Delete a question nobody has studied; retire one with history. Returns what was done."""
    if questions_with_history([q.id]):
        q.retired = True
        return "retired"
    db.session.delete(q)
    return "deleted"


QUESTION_ACTIONS = ("retire", "restore", "drop", "up", "down", "keep")


@commits
def question_action(qset: QuestionSet, q: Question, action: str) -> str:
    """retire / restore / drop / up / down, or a review decision (keep, or drop as retire:
    a second thought can bring it back). Returns what was done."""
    if action not in QUESTION_ACTIONS:
        raise NotFound(f"No question action {action!r}.")
    if action in ("retire", "restore", "keep"):
        q.retired = action == "retire"
        return {"retire": "retired", "restore": "restored", "keep": "kept"}[action]
    if action == "drop":
        return drop_question(q)
    move_question(qset, q, -1 if action == "up" else 1)
    return "moved"


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
    left_out: list[str] = field(default_factory=list)  # partial imports: each with line and reason


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


def not_imported_message(filename: str, partial: bool) -> str:
    """What a rejected import says above its list of problems (the page's and the job's)."""
    return (f"{filename} was not imported: nothing was changed. Fix these problems and upload it "
            "again" + ("" if partial else ", or tick 'import the others' to leave them out") + ":")


@commits
def import_file(owner: User | None, data: bytes, filename: str, *, fmt: str | None = None,
                qset: QuestionSet | None = None, title: str | None = None,
                status: str = "draft", partial: bool = False) -> ImportOutcome:
    """Parse, then write in one transaction. Any problem rejects the whole file, unless
    `partial` (asked for explicitly): then the valid questions are imported and each one
    left out is listed with its line and reason. A file with no valid question is refused."""
    try:
        fmt = fmt or interchange.detect_format(filename, data)
        questions, problems, meta = interchange.parse(fmt, data, filename)
    except interchange.UnknownFormat as exc:
        raise TeachError(str(exc)) from exc
    if problems and not (partial and questions):
        raise TeachError(problems)
    try:
        created = qset is None
        if created:
            qset = create_set(owner, title or meta.get("title") or filename.rsplit(".", 1)[0],
                              meta.get("description", ""), origin="import", status=status)
            qset.sources = meta.get("sources") or []
        result = import_questions(qset, questions)
        qset.updated_at = utcnow()
        db.session.flush()
    except IntegrityError as exc:
        raise TeachError(f"{filename}: could not be saved ({exc.orig.__class__.__name__})") from exc
    return ImportOutcome(qset, result, created, left_out=problems)


@commits
def save_generated(owner_id: int, bank: dict, title: str | None, filename: str) -> QuestionSet:
    """A generated bank as a new draft set, all or nothing."""
    owner = db.session.get(User, owner_id)
    qset = create_set(owner, title or bank.get("title") or filename.rsplit(".", 1)[0],
                      bank.get("description") or "", origin="generated", status="draft")
    qset.sources = bank.get("sources") or []
    import_questions(qset, bank.get("questions") or [])
    return qset


@dataclass
class Export:
    data: bytes
    media_type: str
    filename: str


def export_set(qset: QuestionSet, fmt: str) -> Export:
    """The set's active questions in one interchange format."""
    questions = [QuestionData.from_row(q) for q in qset.questions if not q.retired]
    info = interchange.SetInfo(title=qset.title, description=qset.description or "",
                               key=qset.key, sources=qset.sources or [])
    try:
        data, media_type, ext = interchange.export_bytes(fmt, questions, info)
    except interchange.UnknownFormat as exc:
        raise NotFound(str(exc)) from exc
    slug = "".join(ch if ch.isalnum() else "-" for ch in qset.title.lower()).strip("-")[:60] or "set"
    return Export(data, media_type, f"{slug}.{ext}")


# --- classes ----------------------------------------------------------------------------

def my_classes(user: User) -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).where(Classroom.owner_id == user.id)
                                   .order_by(Classroom.created_at.desc())))


def _unused_code() -> str:
    while True:
        code = Classroom.new_join_code()
        if not db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)):
            return code


@commits
def create_class(owner: User, name: str) -> Classroom:
    name = (name or "").strip()
    if not name:
        raise TeachError("field 'name': a class needs a name")
    c = Classroom(name=name[:200], owner_id=owner.id, join_code=_unused_code())
    db.session.add(c)
    db.session.flush()
    return c


@commits
def new_join_code(c: Classroom) -> None:
    c.join_code = _unused_code()


@commits
def delete_class(c: Classroom) -> None:
    """Students keep their own review history; only the class and its assignments go."""
    db.session.delete(c)


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper().replace("-", "")


def class_by_code(code: str) -> Classroom | None:
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(Classroom).where(Classroom.join_code == code))


@commits
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


@commits
def remove_student(c: Classroom, user_id: int) -> User:
    e = db.session.get(Enrollment, (c.id, user_id))
    if e is None:
        raise NotFound("No such student in this class.")
    user = e.user
    db.session.delete(e)
    return user


def class_sets(c: Classroom) -> list[ClassSet]:
    return list(db.session.scalars(select(ClassSet).join(QuestionSet, QuestionSet.id == ClassSet.set_id)
                                   .where(ClassSet.class_id == c.id).order_by(QuestionSet.title)))


@commits
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


@commits
def unassign_set(c: Classroom, set_id: int) -> None:
    """Students' history of the set is kept."""
    cs = db.session.get(ClassSet, (c.id, set_id))
    if cs is None:
        raise NotFound("That set is not assigned to this class.")
    db.session.delete(cs)
