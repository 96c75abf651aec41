"""The `studyapp-bank/1` format: read, validate, and load into the database idempotently."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from .extensions import db
from .models import FACT_KINDS, QUESTION_TYPES, Question, QuestionSet, utcnow

FORMAT = "studyapp-bank/1"


class BankError(ValueError):
    """A bank that cannot be loaded; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _problem(where: str, qid: str | None, fld: str, what: str) -> str:
    at = f"question {qid!r}, " if qid is not None else ""
    return f"{where}: {at}field '{fld}': {what}"


def validate_question(q: object, where: str, index: int) -> list[str]:
    """Every problem with one question dict; empty when it is valid."""
    if not isinstance(q, dict):
        return [f"{where}: question #{index + 1}: not an object"]
    qid = q.get("id")
    name = qid if isinstance(qid, str) and qid else f"#{index + 1}"
    out: list[str] = []

    def bad(fld: str, what: str) -> None:
        out.append(_problem(where, name, fld, what))

    if not isinstance(qid, str) or not qid.strip() or len(qid) > 80:
        bad("id", "must be a non-empty string of at most 80 characters")
    qtype = q.get("type")
    if qtype not in QUESTION_TYPES:
        bad("type", f"must be one of {', '.join(QUESTION_TYPES)}, got {qtype!r}")
    prompt = q.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        bad("prompt", "must be non-empty text")
    elif qtype == "cloze" and "____" not in prompt:
        bad("prompt", "a cloze prompt needs a blank written ____")
    answer = q.get("answer")
    if qtype == "true_false":
        if not (isinstance(answer, bool) or str(answer).lower() in ("true", "false")):
            bad("answer", "must be true or false")
    elif qtype == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, (int, float, str)) or str(answer).strip() == "":
            bad("answer", "must be a number")
        else:
            from .grading import parse_number

            if parse_number(str(answer)) is None:
                bad("answer", f"{answer!r} is not a number")
    elif not isinstance(answer, str) or not answer.strip():
        bad("answer", "must be non-empty text")
    accept = q.get("accept", [])
    if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
        bad("accept", "must be a list of strings")
    choices = q.get("choices")
    if qtype == "multiple_choice":
        if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() for c in choices):
            bad("choices", "must be a list of 3-5 non-empty strings")
        elif not 3 <= len(choices) <= 5:
            bad("choices", f"needs 3-5 options, has {len(choices)}")
        elif len({c.strip().casefold() for c in choices}) != len(choices):
            bad("choices", "options must be distinct")
        elif choices.count(answer) != 1:
            bad("choices", "the answer must be among the options exactly once")
    elif choices not in (None, []):
        bad("choices", "only multiple_choice questions have choices")
    tol = q.get("tolerance")
    if tol is not None:
        if qtype != "numeric":
            bad("tolerance", "only numeric questions have a tolerance")
        elif isinstance(tol, bool) or not _valid_tolerance(tol):
            bad("tolerance", "must be a non-negative number or a percentage like '5%'")
    for text_field in ("explanation", "topic"):
        if not isinstance(q.get(text_field, ""), str):
            bad(text_field, "must be text")
    if q.get("fact_kind", "other") not in FACT_KINDS:
        bad("fact_kind", f"must be one of {', '.join(FACT_KINDS)}")
    tags = q.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad("tags", "must be a list of strings")
    src = q.get("source")
    if src is not None:
        if not isinstance(src, dict):
            bad("source", "must be an object with id, quote, start, end")
        else:
            start, end = src.get("start"), src.get("end")
            if start is not None and (not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end):
                bad("source", "start and end must be offsets with 0 <= start <= end")
    return out


def _valid_tolerance(tol) -> bool:
    if isinstance(tol, (int, float)):
        return math.isfinite(tol) and tol >= 0
    if isinstance(tol, str):
        s = tol.strip().rstrip("%")
        try:
            return float(s) >= 0
        except ValueError:
            return False
    return False


def validate_bank(data: object, where: str) -> list[str]:
    if not isinstance(data, dict):
        return [f"{where}: the file must hold a JSON object"]
    problems = []
    if data.get("format") != FORMAT:
        problems.append(f"{where}: field 'format': must be {FORMAT!r}, got {data.get('format')!r}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append(f"{where}: field 'title': must be non-empty text")
    questions = data.get("questions")
    if not isinstance(questions, list):
        return problems + [f"{where}: field 'questions': must be a list"]
    seen: set[str] = set()
    for i, q in enumerate(questions):
        problems += validate_question(q, where, i)
        qid = q.get("id") if isinstance(q, dict) else None
        if isinstance(qid, str):
            if qid in seen:
                problems.append(_problem(where, qid, "id", "appears more than once"))
            seen.add(qid)
    return problems


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


def question_fields(q: dict) -> dict:
    """Bank question → Question column values."""
    answer = q["answer"]
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    tol = q.get("tolerance")
    return {
        "type": q["type"],
        "prompt": q["prompt"].strip(),
        "answer": str(answer).strip(),
        "accept": list(q.get("accept") or []),
        "choices": list(q["choices"]) if q.get("choices") else None,
        "tolerance": None if tol is None else str(tol),
        "explanation": q.get("explanation") or "",
        "fact_kind": q.get("fact_kind") or "other",
        "topic": q.get("topic") or "",
        "tags": list(q.get("tags") or []),
        "source": q.get("source"),
    }


def question_to_bank(q: Question) -> dict:
    """Question row → bank question dict (the inverse of question_fields)."""
    out = {"id": q.uid, "type": q.type, "prompt": q.prompt,
           "answer": (q.answer == "true") if q.type == "true_false" else q.answer,
           "accept": list(q.accept or [])}
    if q.type == "multiple_choice":
        out["choices"] = list(q.choices or [])
    if q.type == "numeric":
        out["tolerance"] = q.tolerance
    out.update({"explanation": q.explanation, "fact_kind": q.fact_kind, "topic": q.topic,
                "tags": list(q.tags or []), "source": q.source})
    return out


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
        values = question_fields(q) | {"position": position, "retired": False}
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
        if "answer" in changed or "accept" in changed or "choices" in changed:
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


def set_to_bank(qset: QuestionSet, *, include_retired: bool = False) -> dict:
    from . import __version__

    return {
        "format": FORMAT,
        "title": qset.title,
        "description": qset.description or "",
        "language": "en",
        "sources": qset.sources or [],
        "generator": {"name": "studyapp", "version": __version__},
        "questions": [question_to_bank(q) for q in qset.questions if include_retired or not q.retired],
    }
