"""Bank files into the database: read, validate (question/validation.py), and load
idempotently by each question's stable id."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from .extensions import db
from .models import Question, QuestionSet, utcnow
from .question import Question as QuestionData
from .question import validate_bank


class BankError(ValueError):
    """A bank that cannot be loaded; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_bank(path: Path) -> dict:
    """Parse and validate one bank file; BankError names the file, question and field."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BankError([f"{where}: cannot read: {exc.strerror or exc}"]) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BankError([f"{where}: not valid JSON: {exc}"]) from exc
    problems = validate_bank(data, where)
    if problems:
        raise BankError(problems)
    return data


@dataclass
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    answer_changed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.retired} retired")


def upsert_questions(qset: QuestionSet, questions: list[dict], *, retire_missing: bool) -> UpsertResult:
    """Insert or update questions by their stable id; never deletes, so history survives.

    A question missing from `questions` is retired (hidden from new study) when
    `retire_missing`; one that comes back is un-retired. Caller commits.
    """
    result = UpsertResult()
    existing = {q.uid: q for q in db.session.scalars(select(Question).where(Question.set_id == qset.id))}
    incoming_ids = set()
    for position, q in enumerate(questions):
        incoming_ids.add(q["id"])
        data = QuestionData.from_bank(q)
        values = data.to_columns() | {"position": position, "retired": False}
        row = existing.get(q["id"])
        if row is None:
            db.session.add(Question(set_id=qset.id, uid=q["id"], **values))
            result.added += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if set(changed) <= {"position"}:
            # A question that only moved because others came or went is not "updated".
            row.position = position
            result.unchanged += 1
            continue
        if data.answer_changed(QuestionData.from_row(row)):
            row.answer_changed_at = utcnow()
            result.answer_changed.append(row.uid)
        for k, v in changed.items():
            setattr(row, k, v)
        result.updated += 1
    if retire_missing:
        for uid, row in existing.items():
            if uid not in incoming_ids and not row.retired:
                row.retired = True
                result.retired += 1
    return result


def load_bank_file(path: Path) -> tuple[QuestionSet, UpsertResult]:
    """Load one validated bank as a public published set keyed by its file name. Caller commits."""
    data = read_bank(path)
    key = f"bank:{Path(path).stem}"
    qset = db.session.scalar(select(QuestionSet).where(QuestionSet.key == key))
    if qset is None:
        qset = QuestionSet(key=key, title=data["title"], origin="bank", is_public=True,
                           status="published")
        db.session.add(qset)
        db.session.flush()
    qset.title = data["title"]
    qset.description = data.get("description") or ""
    qset.sources = data.get("sources") or []
    result = upsert_questions(qset, data["questions"], retire_missing=True)
    return qset, result


def load_banks(paths: list[Path]) -> list[tuple[Path, QuestionSet, UpsertResult]]:
    """Validate every file first, then load them all in one transaction (all or nothing)."""
    problems: list[str] = []
    for p in paths:
        try:
            read_bank(p)
        except BankError as exc:
            problems += exc.problems
    if problems:
        raise BankError(problems)
    out = []
    try:
        for p in paths:
            qset, result = load_bank_file(p)
            out.append((p, qset, result))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return out
